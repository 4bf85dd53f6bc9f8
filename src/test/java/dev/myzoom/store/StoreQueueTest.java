package dev.myzoom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.signal.FanOut;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The queue all database work goes through, with work that stands in for the database and the
 * real fan-out thread for the results: writes run one at a time in order, their continuations on
 * the fan-out thread in the same order, and a full or failing database is answered, not waited on.
 */
class StoreQueueTest {
    private final FanOut fanOut = new FanOut();
    private final CountDownLatch release = new CountDownLatch(1);
    private StoreQueue store;

    @AfterEach
    void close() {
        release.countDown();
        if (store != null) {
            store.close();
        }
        fanOut.close();
    }

    private StoreQueue store(int capacity) {
        store = new StoreQueue(capacity, Duration.ofSeconds(5), new SimpleMeterRegistry(), fanOut);
        return store;
    }

    /** Holds the single writer, as a slow database would, until {@link #release}. */
    private CompletableFuture<String> holdTheWriter() throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        CompletableFuture<String> held = store.write(() -> {
            busy.countDown();
            await(release);
            return "held";
        });
        assertTrue(busy.await(5, TimeUnit.SECONDS));
        return held;
    }

    @Test
    void writesRunInOrderAndTheirContinuationsFollowOnTheFanOutThread() throws Exception {
        store(100);
        holdTheWriter();
        List<Integer> written = new CopyOnWriteArrayList<>();
        List<String> continued = new CopyOnWriteArrayList<>();
        CompletableFuture<?>[] all = new CompletableFuture<?>[20];
        for (int i = 0; i < 20; i++) {
            int n = i;
            all[i] = store.write(() -> {
                written.add(n);
                return n;
            }).thenAccept(r -> continued.add(r + " on " + Thread.currentThread().getName()));
        }
        release.countDown();
        CompletableFuture.allOf(all).get(5, TimeUnit.SECONDS);

        List<Integer> order = IntStream.range(0, 20).boxed().toList();
        assertEquals(order, written);
        assertEquals(order.stream().map(n -> n + " on fan-out").toList(), continued);
    }

    @Test
    void aFullWriterQueueRefusesAtOnce() throws Exception {
        store(2);
        CompletableFuture<String> held = holdTheWriter();
        CompletableFuture<String> second = store.write(() -> "second");
        CompletableFuture<String> third = store.write(() -> "third");
        CompletableFuture<String> refused = store.write(() -> "refused");

        // Answered while the writer is still held: the caller hears "not now" instead of waiting.
        ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(2, TimeUnit.SECONDS));
        assertInstanceOf(StoreQueue.Unavailable.class, e.getCause());
        assertFalse(held.isDone());

        release.countDown();
        assertEquals(List.of("held", "second", "third"), List.of(held.get(5, TimeUnit.SECONDS),
                second.get(5, TimeUnit.SECONDS), third.get(5, TimeUnit.SECONDS)));
    }

    @Test
    void aFailedWriteIsUnavailableAndTheWriterGoesOn() throws Exception {
        store(10);
        CompletableFuture<String> failed = store.write(() -> {
            throw new IllegalStateException("connection refused");
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(5, TimeUnit.SECONDS));
        assertInstanceOf(StoreQueue.Unavailable.class, e.getCause());
        assertInstanceOf(IllegalStateException.class, e.getCause().getCause());
        assertEquals("next", store.write(() -> "next").get(5, TimeUnit.SECONDS));
    }

    @Test
    void batchedWritesAnswerOnTheFanOutThreadInOrder() throws Exception {
        store(100);
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        StoreQueue.Batched<String, Integer> lines = store.batched("test-chat-writer", items -> {
            batches.add(List.copyOf(items));
            return items.stream().map(String::length).toList();
        });
        List<String> answers = new CopyOnWriteArrayList<>();
        CountDownLatch finished = new CountDownLatch(3);
        for (String line : List.of("a", "bb", "ccc")) {
            lines.write(line, (length, failure) -> {
                answers.add(line + "=" + length + " on " + Thread.currentThread().getName());
                finished.countDown();
            });
        }
        assertTrue(finished.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("a=1 on fan-out", "bb=2 on fan-out", "ccc=3 on fan-out"), answers);
        assertEquals(List.of("a", "bb", "ccc"), batches.stream().flatMap(List::stream).toList());
    }

    @Test
    void aFailedReadIsUnavailable() {
        store(10);
        CompletableFuture<String> read = store.read(() -> {
            throw new IllegalStateException("no such table");
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(5, TimeUnit.SECONDS));
        assertInstanceOf(StoreQueue.Unavailable.class, e.getCause());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A write that waited too long behind a slow one fails in time and is never done afterwards:
     * a host told that the password did not save must not find it in force later.
     */
    @Test
    void aWriteThatWaitedTooLongFailsAndIsNeverDone() throws Exception {
        store = new StoreQueue(100, Duration.ofMillis(200), new SimpleMeterRegistry(), fanOut);
        CompletableFuture<String> held = holdTheWriter();
        List<String> done = new CopyOnWriteArrayList<>();
        CompletableFuture<String> late = store.write(() -> {
            done.add("late");
            return "late";
        });
        ExecutionException failed = assertThrows(ExecutionException.class, () -> late.get(3, TimeUnit.SECONDS));
        assertInstanceOf(StoreQueue.Unavailable.class, failed.getCause());
        release.countDown();
        assertEquals("held", held.get(5, TimeUnit.SECONDS), "work that had started keeps its true outcome");
        Thread.sleep(300);
        assertEquals(List.of(), done, "the write that was reported failed never ran");
    }
}
