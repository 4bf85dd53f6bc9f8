package dev.myzoom.signal;

import dev.myzoom.concurrency.DaemonThreads;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that carries out what follows a database write, above all the delivery of
 * stored chat lines to their rooms, in the order they were stored. What its tasks send is
 * buffered, and each connection is flushed once at the end of the task: lines stored together in
 * a busy room then reach each member in one socket write rather than one write per line. A quiet
 * room's line is a task of its own and goes out at once. Frames for participants on other nodes
 * are gathered the same way, one message per node (see {@link NodeOutbox}).
 */
public final class FanOut implements Executor, AutoCloseable {
    /** Something that holds what was sent to it until it is flushed. */
    interface Buffered {
        void flush();
    }

    private static final Logger log = LoggerFactory.getLogger(FanOut.class);
    private static final int MAX_UNFLUSHED_TASKS = 16;

    private final ThreadPoolExecutor executor;
    private volatile Thread thread;
    // Touched only on the fan-out thread.
    private final Set<Buffered> unflushed = new LinkedHashSet<>();
    private int sinceFlush;

    public FanOut() {
        // Unbounded: it only ever holds what the bounded database writers have finished.
        java.util.concurrent.ThreadFactory threads = DaemonThreads.named("fan-out");
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = threads.newThread(r);
            thread = t;
            return t;
        });
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(() -> {
            try {
                task.run();
            } finally {
                // Under load tasks queue up, and the sends of a few of them are written together:
                // fewer socket writes when it matters. A task alone is flushed at once.
                if (++sinceFlush >= MAX_UNFLUSHED_TASKS || executor.getQueue().isEmpty()) {
                    sinceFlush = 0;
                    flushAll();
                }
            }
        });
    }

    /** Whether a send now may be buffered until the running task ends. */
    boolean buffering() {
        return Thread.currentThread() == thread;
    }

    void flushLater(Buffered buffered) {
        unflushed.add(buffered);
    }

    private void flushAll() {
        if (unflushed.isEmpty()) {
            return;
        }
        List<Buffered> due = new ArrayList<>(unflushed);
        unflushed.clear();
        for (Buffered buffered : due) {
            try {
                buffered.flush();
            } catch (RuntimeException e) {
                log.debug("could not flush {}: {}", buffered, e.toString());
            }
        }
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
