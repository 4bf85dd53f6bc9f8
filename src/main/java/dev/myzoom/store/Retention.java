package dev.myzoom.store;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what the database keeps only for a while: old chat lines, old meeting log entries, and
 * rooms long inactive. Run every hour. Each table is pruned in bounded batches, each batch its own
 * short write on the store queue: a backlog of millions of rows (the first run on an old
 * database) neither holds one huge transaction nor keeps the writer from other work (a host
 * setting a password) for longer than one batch.
 */
public final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    /** Deletes up to {@code limit} rows older than {@code cutoff} (epoch ms) and returns how many. */
    @FunctionalInterface
    public interface BatchDelete {
        int delete(long cutoff, int limit);
    }

    /** One table's rule: rows older than {@code age} go. */
    public record Rule(String table, Duration age, BatchDelete delete) {}

    private final StoreQueue queue;
    private final Clock clock;
    private final int batch;
    private final List<Rule> rules;
    private final AtomicBoolean running = new AtomicBoolean();

    /** @param rules applied in this order (rooms last: a room's chat lines must be gone first) */
    public Retention(StoreQueue queue, Clock clock, int batch, List<Rule> rules) {
        this.queue = queue;
        this.clock = clock;
        this.batch = batch;
        this.rules = List.copyOf(rules);
    }

    /**
     * Applies every rule; completes with the rows deleted per table. A run still going (a large
     * backlog) is not started twice; a failure (the database is down) ends this run, and the next
     * one carries on.
     */
    public CompletableFuture<Map<String, Long>> run() {
        if (!running.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(Map.of());
        }
        Map<String, Long> deleted = new LinkedHashMap<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Rule rule : rules) {
            chain = chain.thenCompose(v -> prune(rule, clock.millis() - rule.age().toMillis(), 0))
                    .thenAccept(n -> {
                        deleted.put(rule.table(), n);
                        if (n > 0) {
                            log.info("event=retention table={} deleted={} older-than-days={}", rule.table(), n,
                                    rule.age().toDays());
                        }
                    });
        }
        return chain.handle((v, failure) -> {
            running.set(false);
            if (failure != null) {
                log.warn("retention stopped, to carry on next time: {}", failure.toString());
            }
            return Map.copyOf(deleted);
        });
    }

    private CompletableFuture<Long> prune(Rule rule, long cutoff, long sofar) {
        return queue.write(() -> rule.delete().delete(cutoff, batch)).thenCompose(n -> n < batch
                ? CompletableFuture.completedFuture(sofar + n)
                : prune(rule, cutoff, sofar + n));
    }
}
