package dev.myzoom.signal;

import dev.myzoom.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what crosses the WebSocket, for {@code /metrics}: messages in and out by type, errors by
 * code, and requests dropped by the rate limit. Counters are looked up once per type and kept.
 */
public final class Traffic {
    private final MeterRegistry registry;
    private final Map<String, Counter> in = new ConcurrentHashMap<>();
    private final Map<String, Counter> out = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Counter rateLimited;

    public Traffic(MeterRegistry registry) {
        this.registry = registry;
        this.rateLimited = Counter.builder("myzoom.rate.limited").description("requests dropped by the rate limit")
                .register(registry);
    }

    void received(String type) {
        in.computeIfAbsent(type, t -> Counter.builder("myzoom.messages.in").tag("type", t)
                .description("messages received from clients, by type").register(registry)).increment();
    }

    /** Counts a frame sent to one client; its type is the first field, as the codec writes it. */
    void sent(String frame) {
        int start = frame.indexOf(':') + 2;
        int end = frame.indexOf('"', start);
        String type = start > 1 && end > start ? frame.substring(start, end) : "unknown";
        out.computeIfAbsent(type, t -> Counter.builder("myzoom.messages.out").tag("type", t)
                .description("messages sent to clients, by type").register(registry)).increment();
    }

    void refused(String code) {
        errors.computeIfAbsent(code, c -> Counter.builder("myzoom.protocol.errors").tag("code", c)
                .description("error replies, by code").register(registry)).increment();
        if (code.equals(ErrorCode.RATE_LIMITED.wire())) {
            rateLimited.increment();
        }
    }
}
