package dev.myzoom.store;

import dev.myzoom.concurrency.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Where database work runs, so that no WebSocket thread ever waits on the database. Writes go
 * through one thread in order; writes that come often (chat lines, the meeting log) have a writer
 * each that commits those waiting together, in order (so chat lines are stored, and then
 * broadcast, in the order they were accepted); reads use a small pool. Every queue is bounded:
 * when the database is slow or gone, new work is refused at once instead of piling up, and work
 * that waited too long for the database fails without being done. Work the database has taken
 * gets its true outcome, within the statement timeout.
 */
public final class StoreQueue implements AutoCloseable {
    /** The database could not do it now: it is down, slow, or too much is waiting. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    // Enough for a busy second's chat in one commit, small enough to keep a transaction short.
    private static final int MAX_BATCH = 500;

    private final ThreadPoolExecutor writer;
    private final ThreadPoolExecutor readers;
    private final Executor results;
    private final Duration timeout;
    private final int capacity;
    private final Timer writes;
    private final Timer reads;
    private final List<GroupCommit<?, ?>> groups = new CopyOnWriteArrayList<>();

    /** @param results where callers' continuations run, in order (one thread) */
    public StoreQueue(int capacity, Duration timeout, MeterRegistry registry, Executor results) {
        this.timeout = timeout;
        this.capacity = capacity;
        this.writer = pool("store-writer", 1, capacity);
        this.results = results;
        this.readers = pool("store-reader", 2, capacity);
        this.writes = timer(registry, "write");
        this.reads = timer(registry, "read");
    }

    private static Timer timer(MeterRegistry registry, String kind) {
        return Timer.builder("myzoom.database").tag("kind", kind).description("time the database takes for one piece of work")
                .publishPercentileHistogram().register(registry);
    }

    private static ThreadPoolExecutor pool(String name, int threads, int capacity) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                DaemonThreads.named(name));
    }

    /**
     * Runs {@code work} on the writer. What the caller then does with the result (answering a
     * host who set a password, say) runs on the results thread, so that the writer does nothing
     * but database work; a continuation attached after the write finished runs on the caller's
     * thread instead. Work whose order of delivery matters goes through {@link #batched}, which
     * takes its continuation up front.
     */
    public <T> CompletableFuture<T> write(Supplier<T> work) {
        return submit(writer, writes, work).whenCompleteAsync((result, failure) -> { }, results);
    }

    /**
     * A writer of its own for writes of one kind that come often (chat lines, the meeting log):
     * those waiting are written together, one transaction per batch (see {@link GroupCommit}).
     * Results come on the same results thread as {@link #write}'s, in order, and within the same
     * timeout.
     *
     * @param work writes a batch in one transaction and returns one result per item, in order
     */
    public <I, R> Batched<I, R> batched(String name, Function<List<I>, List<R>> work) {
        GroupCommit<I, R> group = new GroupCommit<>(name, capacity, MAX_BATCH, work, results, writes);
        groups.add(group);
        return (item, then) -> group.submit(item, timeout, then);
    }

    /** Writes of one kind that are committed together; see {@link #batched}. */
    public interface Batched<I, R> {
        /** Writes {@code item}, then calls {@code then} with its result or failure, on the results thread, in order. */
        void write(I item, BiConsumer<? super R, ? super Throwable> then);
    }

    public <T> CompletableFuture<T> read(Supplier<T> work) {
        return submit(readers, reads, work);
    }

    /**
     * Runs {@code work} on {@code executor}. The timeout bounds the wait for a thread, not the
     * work: whichever comes first, the work starting or the time running out, decides, so work
     * reported as failed is never done afterwards (a password the host was told did not save
     * must not be in force after all). Work once started is bounded by the statement timeout.
     */
    private <T> CompletableFuture<T> submit(ThreadPoolExecutor executor, Timer timer, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        AtomicBoolean decided = new AtomicBoolean();
        try {
            executor.execute(() -> {
                if (!decided.compareAndSet(false, true)) {
                    return;
                }
                try {
                    result.complete(timer.record(work));
                } catch (RuntimeException e) {
                    result.completeExceptionally(new Unavailable("database error: " + e.getMessage(), e));
                }
            });
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new Unavailable("too much database work waiting", e));
        }
        // On the results thread, like every other outcome: not the common pool, which a timeout's
        // continuation (a history reply, say) would otherwise run on.
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS, results).execute(() -> {
            if (decided.compareAndSet(false, true)) {
                result.completeExceptionally(new Unavailable("the database did not take it in time", null));
            }
        });
        return result;
    }

    @Override
    public void close() {
        groups.forEach(GroupCommit::close);
        writer.shutdown();
        readers.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readers.shutdownNow();
    }
}
