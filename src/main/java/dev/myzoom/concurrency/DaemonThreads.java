package dev.myzoom.concurrency;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads of the server's own pools and single workers: daemons, so that they never keep the JVM
 * alive after the server has stopped, and named, so that the thread map in docs/architecture.md
 * can be read off a thread dump.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Every thread is called {@code name} (for single-thread executors). */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A new virtual thread per task on Java 21 and newer (for work that waits: it holds no
     * platform thread while it does), else a pool of {@code threads} daemons called
     * {@code prefix-1}, … The server is built for Java 17, so the 21 API is found at run time.
     */
    public static java.util.concurrent.ExecutorService virtualOr(String prefix, int threads) {
        if (Runtime.version().feature() >= 21) {
            try {
                return (java.util.concurrent.ExecutorService) java.util.concurrent.Executors.class
                        .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Java " + Runtime.version() + " has no virtual threads", e);
            }
        }
        return java.util.concurrent.Executors.newFixedThreadPool(threads, numbered(prefix));
    }

    /** Threads called {@code prefix-1}, {@code prefix-2}, … (for pools). */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
