package dev.myzoom.room;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Throttles wrong room passwords per address and room: after {@code max} failures within
 * {@code window}, further tries are refused until the oldest failure is older than the window.
 * Keyed by address, not connection, so that reconnecting does not reset it.
 */
public final class AttemptLimit {
    private final int max;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    public AttemptLimit(int max, Duration window, Clock clock) {
        this.max = max;
        this.window = window;
        this.clock = clock;
    }

    /** Whether {@code key} may try again now. */
    public boolean allowed(String key) {
        Deque<Long> recent = failures.get(key);
        if (recent == null) {
            return true;
        }
        synchronized (recent) {
            prune(recent);
            return recent.size() < max;
        }
    }

    public void failed(String key) {
        Deque<Long> recent = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (recent) {
            prune(recent);
            recent.addLast(clock.millis());
        }
    }

    public void succeeded(String key) {
        failures.remove(key);
    }

    private void prune(Deque<Long> recent) {
        long cutoff = clock.millis() - window.toMillis();
        while (!recent.isEmpty() && recent.peekFirst() < cutoff) {
            recent.removeFirst();
        }
    }
}
