package dev.myzoom.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns about dropped bus messages at most once a minute per reason, with how many were dropped
 * since the last line: whoever floods Redis with forgeries must not also flood the log.
 */
final class DropLog {
    private static final Logger log = LoggerFactory.getLogger(RedisBus.class);
    static final Duration EVERY = Duration.ofMinutes(1);
    private final Clock clock;
    private final Map<String, Long> lastLine = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> since = new ConcurrentHashMap<>();

    DropLog(Clock clock) {
        this.clock = clock;
    }

    /**
     * Notes a dropped message; {@code sender} is what the message claims, not to be trusted.
     * Returns whether this one was written to the log.
     */
    boolean dropped(String reason, String channel, String sender) {
        long count = since.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        long now = clock.millis();
        Long last = lastLine.get(reason);
        boolean due = last == null ? lastLine.putIfAbsent(reason, now) == null
                : now - last >= EVERY.toMillis() && lastLine.replace(reason, last, now);
        if (due) {
            since.get(reason).addAndGet(-count);
            log.warn("dropped {} bus message(s) on {} ({}; the latest claims sender {}): is someone else publishing on this Redis? Check CLUSTER_SECRET on every node",
                    count, channel, reason, printable(sender));
        }
        return due;
    }

    /** Node ids are hex; anything else is shown as "?" so that a forged one cannot forge a log line. */
    private static String printable(String sender) {
        return sender != null && sender.matches("[0-9a-f]{1,32}") ? sender : "?";
    }
}
