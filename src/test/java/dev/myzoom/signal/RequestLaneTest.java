package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A join that waits holds up its own connection's later requests, in order, and not the socket's thread. */
class RequestLaneTest {
    @Test
    void aSlowRequestRunsOnAWorkerAndWhatFollowsWaitsBehindItInOrder() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            RequestLane lane = new RequestLane(workers);
            List<String> done = new CopyOnWriteArrayList<>();
            CountDownLatch passwordChecked = new CountDownLatch(1);
            Thread socket = Thread.currentThread();
            List<Thread> ranOn = new CopyOnWriteArrayList<>();

            lane.run(() -> done.add("ping"), false);
            assertEquals(List.of("ping"), done, "a quick request with nothing before it runs at once");
            lane.run(() -> {
                ranOn.add(Thread.currentThread());
                await(passwordChecked);
                done.add("join");
            }, true);
            lane.run(() -> done.add("chat"), false);
            lane.run(() -> done.add("media"), false);
            // The socket's thread is free while the join waits: it got here.
            assertEquals(List.of("ping"), done, "the chat and media wait behind the join");
            passwordChecked.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (done.size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(List.of("ping", "join", "chat", "media"), done);
            assertNotEquals(socket, ranOn.get(0), "the join ran on a worker");
            lane.run(() -> done.add("after"), false);
            assertTrue(done.contains("after"), "once the lane is empty, requests run at once again");
        } finally {
            workers.shutdownNow();
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
