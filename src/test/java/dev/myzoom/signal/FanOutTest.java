package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fan-out thread's batching: what its tasks send waits until the task ends, and goes out
 * either after 16 tasks or as soon as nothing else is queued. Every event (a task's end, a
 * flush) is written to one log, in the order it happened on the fan-out thread.
 */
class FanOutTest {
    private final FanOut fanOut = new FanOut();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        fanOut.close();
    }

    /** A socket stand-in: counts its flushes and writes them to the log. */
    private final class Outbox implements FanOut.Buffered {
        private final String name;
        private final CountDownLatch flushed = new CountDownLatch(1);
        volatile int flushes;

        Outbox(String name) {
            this.name = name;
        }

        @Override
        public void flush() {
            flushes++;
            log.add("flush " + name);
            flushed.countDown();
        }
    }

    @Test
    void aTaskAloneIsFlushedAsSoonAsItEnds() throws Exception {
        Outbox a = new Outbox("a");
        fanOut.execute(() -> {
            fanOut.flushLater(a);
            log.add("sent");
            // Still buffered while the task runs: nothing is written in the middle of a task.
            log.add("flushes in task " + a.flushes);
        });
        // Nothing else is queued, so only the idle rule can flush it.
        assertTrue(a.flushed.await(5, TimeUnit.SECONDS), "never flushed");
        assertEquals(List.of("sent", "flushes in task 0", "flush a"), log);
    }

    @Test
    void queuedTasksAreFlushedEvery16AndWhenTheQueueEmpties() throws Exception {
        Outbox a = new Outbox("a");
        CountDownLatch release = new CountDownLatch(1);
        // The first task holds the thread until all 40 are queued, so they run back to back.
        fanOut.execute(() -> {
            await(release);
            fanOut.flushLater(a);
            log.add("task 1");
        });
        for (int i = 2; i <= 40; i++) {
            int n = i;
            fanOut.execute(() -> {
                fanOut.flushLater(a);
                log.add("task " + n);
            });
        }
        release.countDown();
        awaitIdle();

        List<String> flushedAfter = new ArrayList<>();
        for (int i = 1; i < log.size(); i++) {
            if (log.get(i).equals("flush a")) {
                flushedAfter.add(log.get(i - 1));
            }
        }
        // 16 tasks, 16 more, then the last 8 once the queue is empty; the same outbox added by
        // every task is flushed once per batch, not once per task.
        assertEquals(List.of("task 16", "task 32", "task 40"), flushedAfter);
        assertEquals(3, a.flushes);
    }

    @Test
    void everyOutboxOfABatchIsFlushedOnceInTheOrderItWasFirstUsed() throws Exception {
        Outbox a = new Outbox("a");
        Outbox b = new Outbox("b");
        fanOut.execute(() -> {
            fanOut.flushLater(b);
            fanOut.flushLater(a);
            fanOut.flushLater(b);
        });
        awaitIdle();
        assertEquals(List.of("flush b", "flush a"), log);
    }

    @Test
    void aFailingFlushDoesNotStopTheOthersOrTheThread() throws Exception {
        Outbox after = new Outbox("after");
        FanOut.Buffered broken = () -> {
            throw new IllegalStateException("socket gone");
        };
        fanOut.execute(() -> {
            fanOut.flushLater(broken);
            fanOut.flushLater(after);
        });
        awaitIdle();
        assertEquals(List.of("flush after"), log);

        Outbox later = new Outbox("later");
        fanOut.execute(() -> fanOut.flushLater(later));
        awaitIdle();
        assertEquals(1, later.flushes);
    }

    @Test
    void aTaskThatThrowsStillHasItsSendsFlushed() throws Exception {
        Outbox a = new Outbox("a");
        fanOut.execute(() -> {
            fanOut.flushLater(a);
            throw new IllegalStateException("a bug in one continuation");
        });
        awaitIdle();
        assertEquals(1, a.flushes);

        // The executor replaced the thread the exception ended: the new one buffers too.
        AtomicBoolean buffering = new AtomicBoolean();
        fanOut.execute(() -> buffering.set(fanOut.buffering()));
        awaitIdle();
        assertTrue(buffering.get());
    }

    @Test
    void onlyTheFanOutThreadBuffers() throws Exception {
        assertFalse(fanOut.buffering(), "before the thread exists");

        AtomicBoolean inTask = new AtomicBoolean();
        AtomicBoolean elsewhereMeanwhile = new AtomicBoolean(true);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        fanOut.execute(() -> {
            inTask.set(fanOut.buffering());
            running.countDown();
            await(checked);
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));
        // Asked on another thread while a task runs, the answer is no: that thread's sends would
        // otherwise wait for a flush that only the fan-out thread makes.
        Thread other = new Thread(() -> elsewhereMeanwhile.set(fanOut.buffering()));
        other.start();
        other.join(5000);
        boolean here = fanOut.buffering();
        checked.countDown();
        awaitIdle();

        assertTrue(inTask.get(), "on the fan-out thread");
        assertFalse(elsewhereMeanwhile.get(), "on another thread while a task runs");
        assertFalse(here, "on the test's thread");
    }

    /**
     * Waits until every task queued so far has run and its sends were flushed: a last task uses
     * an outbox of its own, which is flushed with (after) everything before it. It logs nothing.
     */
    private void awaitIdle() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        FanOut.Buffered marker = done::countDown;
        fanOut.execute(() -> fanOut.flushLater(marker));
        assertTrue(done.await(5, TimeUnit.SECONDS), "fan-out thread stuck");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
