package dev.myzoom.store;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Writes of one kind that arrive while the database is busy go to it together, in one
 * transaction, on one thread and in the order they came. A busy room's chat costs one commit per
 * batch instead of one per line, and a quiet room's line still goes out at once, alone.
 *
 * @param <I> what one caller wants written
 * @param <R> what the caller gets back for it (a chat line's id, say)
 */
final class GroupCommit<I, R> implements AutoCloseable {
    private record Pending<I, R>(I item, CompletableFuture<R> result) {}

    private final BlockingQueue<Pending<I, R>> queue;
    private final int maxBatch;
    private final Function<List<I>, List<R>> work;
    private final Executor results;
    private final Timer timer;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param work writes a batch in one transaction and returns one result per item, in order
     * @param results where callers' continuations run, in order, off the writing thread
     */
    GroupCommit(String name, int capacity, int maxBatch, Function<List<I>, List<R>> work, Executor results, Timer timer) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.work = work;
        this.results = results;
        this.timer = timer;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues the item; {@code then} runs once it is written (or its batch failed), on the
     * results thread and in order. It is attached before the item is queued: attached after, it
     * could find the write already done and run on the caller's thread, out of order.
     *
     * <p>{@code timeout} bounds the wait in the queue, not the write: an item still waiting when
     * it is up is taken out, never written, and fails with {@link StoreQueue.Unavailable}. One
     * that the writer has taken gets its batch's outcome, bounded by the statement timeout. So a
     * caller told "failed" can send it again without writing it twice. When too much is waiting
     * the item is refused at once.
     */
    void submit(I item, Duration timeout, BiConsumer<? super R, ? super Throwable> then) {
        CompletableFuture<R> result = new CompletableFuture<>();
        result.whenComplete(then);
        Pending<I, R> pending = new Pending<>(item, result);
        if (closed || !queue.offer(pending)) {
            result.completeExceptionally(new StoreQueue.Unavailable("too much database work waiting", null));
            return;
        }
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS, results).execute(() -> {
            if (queue.remove(pending)) {
                result.completeExceptionally(new StoreQueue.Unavailable("the database did not take it in time", null));
            }
        });
    }

    private void run() {
        List<Pending<I, R>> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<I, R> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending<I, R>> batch) {
        List<I> items = new ArrayList<>(batch.size());
        batch.forEach(p -> items.add(p.item()));
        List<Pending<I, R>> done = List.copyOf(batch);
        try {
            List<R> written = timer.record(() -> work.apply(items));
            results.execute(() -> {
                for (int i = 0; i < done.size(); i++) {
                    done.get(i).result().complete(written.get(i));
                }
            });
        } catch (RuntimeException | Error e) {
            // Errors too: a driver's failed assertion (seen from pgjdbc when the server went away
            // mid-batch) must fail this batch, not end the thread and with it every later write.
            StoreQueue.Unavailable failure = new StoreQueue.Unavailable("database error: " + e.getMessage(), e);
            results.execute(() -> done.forEach(p -> p.result().completeExceptionally(failure)));
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
