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
