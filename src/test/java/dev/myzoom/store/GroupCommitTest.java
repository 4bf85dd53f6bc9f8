package dev.myzoom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.signal.FanOut;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit, with a fake batch writer and the real fan-out thread for the results: what waits
 * while the database is busy goes in the next batch, in order, and every caller's continuation
 * runs on the fan-out thread in the order the items were stored.
 */
class GroupCommitTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final FanOut fanOut = new FanOut();
    private final Timer timer = new SimpleMeterRegistry().timer("test");
    private final BlockingWriter writer = new BlockingWriter();
    private final List<String> done = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private GroupCommit<Integer, String> group;

    @AfterEach
    void close() {
        writer.release.countDown();
        if (group != null) {
            group.close();
        }
        fanOut.close();
    }

    /**
     * Writes each batch by answering "id-N" for item N. Its first batch waits for
     * {@link #release}, as a busy database would, so that the test can queue what comes next.
     */
    static final class BlockingWriter implements Function<List<Integer>, List<String>> {
        final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch busy = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Integer failOn;
        volatile boolean failWithError;

        @Override
        public List<String> apply(List<Integer> items) {
            batches.add(List.copyOf(items));
            if (batches.size() == 1) {
                busy.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failOn != null && items.contains(failOn)) {
                if (failWithError) {
                    throw new AssertionError("driver assertion, as pgjdbc's when the server went away");
                }
                throw new IllegalStateException("connection refused");
            }
            return items.stream().map(i -> "id-" + i).toList();
        }
    }

    private GroupCommit<Integer, String> group(int capacity, int maxBatch) {
        group = new GroupCommit<>("test-writer", capacity, maxBatch, writer, fanOut, timer);
        return group;
    }

    /** Submits {@code item}; its continuation writes down the result and the thread it ran on. */
    private void submit(int item, CountDownLatch finished) {
        group.submit(item, TIMEOUT, (id, failure) -> {
            threads.add(Thread.currentThread().getName());
            if (failure != null) {
                failures.add(failure);
                done.add(item + " failed");
            } else {
                done.add(item + " " + id);
            }
            finished.countDown();
        });
    }

    @Test
    void whatWaitsWhileTheDatabaseIsBusyIsOneBatchInOrder() throws Exception {
        group(100, 100);
        CountDownLatch finished = new CountDownLatch(50);
        submit(1, finished);
        assertTrue(writer.busy.await(5, TimeUnit.SECONDS));
        for (int i = 2; i <= 50; i++) {
            submit(i, finished);
        }
        writer.release.countDown();
        assertTrue(finished.await(5, TimeUnit.SECONDS));

        assertEquals(List.of(List.of(1), range(2, 50)), writer.batches);
        assertEquals(range(1, 50).stream().map(i -> i + " id-" + i).toList(), done);
        assertEquals(List.of("fan-out"), threads.stream().distinct().toList(), "continuations ran off the fan-out thread");
    }

    @Test
    void aBatchHoldsAtMostMaxBatchItems() throws Exception {
        group(100, 4);
        CountDownLatch finished = new CountDownLatch(10);
        submit(1, finished);
        assertTrue(writer.busy.await(5, TimeUnit.SECONDS));
        for (int i = 2; i <= 10; i++) {
            submit(i, finished);
        }
        writer.release.countDown();
        assertTrue(finished.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(List.of(1), List.of(2, 3, 4, 5), List.of(6, 7, 8, 9), List.of(10)), writer.batches);
        assertEquals(range(1, 10).stream().map(i -> i + " id-" + i).toList(), done);
    }

    @Test
    void continuationsRunOnTheResultsThreadEvenWhenTheWriteIsInstant() throws Exception {
        // Commit 934335d: a continuation attached after the item was queued could find it already
        // written and run on the caller's thread, ahead of lines stored before it. The window is
        // short, so many callers (more threads than cores, as Jetty has) make many quick writes
        // each, to give that race every chance to show.
        group(10_000, 500);
        writer.release.countDown();
        int callers = 8;
        int each = 1000;
        CountDownLatch finished = new CountDownLatch(callers * each);
        List<Thread> threadsOfCallers = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int first = c * each;
            Thread caller = new Thread(() -> {
                for (int i = 1; i <= each; i++) {
                    submit(first + i, finished);
                    Thread.yield();
                }
            }, "caller-" + c);
            threadsOfCallers.add(caller);
            caller.start();
        }
        for (Thread caller : threadsOfCallers) {
            caller.join(10_000);
        }
        assertTrue(finished.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("fan-out"), threads.stream().distinct().toList());
        assertEquals(List.of(), failures);
    }

    @Test
    void oneCallersItemsAreAnsweredInTheOrderItSubmittedThem() throws Exception {
        group(1000, 500);
        writer.release.countDown();
        int n = 500;
        CountDownLatch finished = new CountDownLatch(n);
        for (int i = 1; i <= n; i++) {
            submit(i, finished);
        }
        assertTrue(finished.await(10, TimeUnit.SECONDS));
        assertEquals(range(1, n).stream().map(i -> i + " id-" + i).toList(), done);
    }

    @Test
    void aFailedBatchFailsItsItemsAndTheWriterGoesOn() throws Exception {
        group(100, 100);
        writer.failOn = 2;
        CountDownLatch first = new CountDownLatch(3);
        submit(1, first);
        assertTrue(writer.busy.await(5, TimeUnit.SECONDS));
        submit(2, first);
        submit(3, first);
        writer.release.countDown();
        assertTrue(first.await(5, TimeUnit.SECONDS));
        // 2 and 3 were one transaction: both fail, in order, on the fan-out thread.
        assertEquals(List.of("1 id-1", "2 failed", "3 failed"), done);
        assertEquals(List.of("fan-out"), threads.stream().distinct().toList());
        Throwable failure = failures.get(0);
        assertInstanceOf(StoreQueue.Unavailable.class, failure);
        assertInstanceOf(IllegalStateException.class, failure.getCause());

        CountDownLatch after = new CountDownLatch(1);
        submit(4, after);
        assertTrue(after.await(5, TimeUnit.SECONDS));
        assertEquals("4 id-4", done.get(3));
    }

    @Test
    void anErrorFromTheDriverFailsOnlyItsBatchNotTheThread() throws Exception {
        group(100, 100);
        writer.release.countDown();
        writer.failOn = 1;
        writer.failWithError = true;
        CountDownLatch first = new CountDownLatch(1);
        submit(1, first);
        assertTrue(first.await(5, TimeUnit.SECONDS));
        assertInstanceOf(AssertionError.class, failures.get(0).getCause());

        CountDownLatch second = new CountDownLatch(1);
        submit(2, second);
        assertTrue(second.await(5, TimeUnit.SECONDS), "the writer thread died with the error");
        assertEquals(List.of("1 failed", "2 id-2"), done);
    }

    @Test
    void aFullQueueRefusesAtOnceAndKeepsWhatItHolds() throws Exception {
        group(2, 100);
        CountDownLatch accepted = new CountDownLatch(3);
        submit(1, accepted);
        assertTrue(writer.busy.await(5, TimeUnit.SECONDS));
        submit(2, accepted);
        submit(3, accepted);

        CountDownLatch refused = new CountDownLatch(1);
        submit(4, refused);
        // Answered before submit returned, while the database is still busy: nothing piles up.
        assertEquals(0, refused.getCount());
        assertEquals(List.of("4 failed"), done);
        assertInstanceOf(StoreQueue.Unavailable.class, failures.get(0));

        writer.release.countDown();
        assertTrue(accepted.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("4 failed", "1 id-1", "2 id-2", "3 id-3"), done);
        assertEquals(List.of(List.of(1), List.of(2, 3)), writer.batches);
    }

    @Test
    void closingWritesWhatWasQueuedAndRefusesWhatComesAfter() throws Exception {
        group(100, 100);
        CountDownLatch queued = new CountDownLatch(4);
        submit(1, queued);
        assertTrue(writer.busy.await(5, TimeUnit.SECONDS));
        submit(2, queued);
        submit(3, queued);
        submit(4, queued);
        Thread closer = new Thread(group::close);
        closer.start();
        writer.release.countDown();
        closer.join(10_000);
        assertTrue(queued.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("1 id-1", "2 id-2", "3 id-3", "4 id-4"), done);

        CountDownLatch late = new CountDownLatch(1);
        submit(5, late);
        assertEquals(0, late.getCount());
        assertEquals("5 failed", done.get(4));
    }

    /**
     * An item that waited too long behind a stuck write fails within its timeout and is never
     * written afterwards, so a caller told "failed" can retry without storing it twice; the item
     * the stuck write holds gets that write's outcome.
     */
    @Test
    void anItemThatWaitedTooLongFailsInTimeAndIsNeverWritten() throws Exception {
        group(100, 100);
        CountDownLatch first = new CountDownLatch(1);
        submit(1, first);
        assertTrue(writer.busy.await(5, TimeUnit.SECONDS));
        CountDownLatch finished = new CountDownLatch(1);
        List<Throwable> seen = new ArrayList<>();
        List<String> on = new ArrayList<>();
        long start = System.nanoTime();
        group.submit(2, Duration.ofMillis(100), (id, failure) -> {
            assertNull(id);
            seen.add(failure);
            on.add(Thread.currentThread().getName());
            finished.countDown();
        });
        assertTrue(finished.await(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "waited for the stuck database");
        assertInstanceOf(StoreQueue.Unavailable.class, seen.get(0));
        assertEquals(List.of("fan-out"), on, "failures are answered on the results thread too");

        writer.release.countDown();
        assertTrue(first.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("1 id-1"), done, "the stuck write's own item is written and answered");
        Thread.sleep(300);
        assertEquals(List.of(List.of(1)), writer.batches, "the item that timed out was never written");
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }
}
