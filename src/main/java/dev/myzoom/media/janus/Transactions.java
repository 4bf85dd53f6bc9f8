package dev.myzoom.media.janus;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests of one connection that wait for Janus's answer, by transaction id. Janus answers a
 * request with {@code success}, {@code server_info} or {@code error}; a plugin message that the
 * plugin handles later gets an {@code ack} first and its answer as an {@code event} with the
 * same transaction, while a {@code keepalive} or {@code trickle} is answered by the ack alone.
 */
final class Transactions {
    private record Waiting(CompletableFuture<JsonNode> reply, boolean ackAnswers, ScheduledFuture<?> timeout) {}

    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();
    private final ScheduledExecutorService timer;
    private final Duration patience;

    Transactions(ScheduledExecutorService timer, Duration patience) {
        this.timer = timer;
        this.patience = patience;
    }

    /**
     * A new transaction id whose answer completes {@code reply}, or fails it after the timeout;
     * null (and {@code reply} failed) when the connection is closing.
     */
    String open(CompletableFuture<JsonNode> reply, boolean ackAnswers) {
        String id = Long.toString(next.incrementAndGet(), 36);
        ScheduledFuture<?> timeout;
        try {
            timeout = timer.schedule(() -> fail(id, new JanusException(JanusException.TIMEOUT,
                    "no answer within " + patience.toMillis() + " ms")), patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            reply.completeExceptionally(new JanusException(JanusException.CLOSED, "the connection is closing"));
            return null;
        }
        waiting.put(id, new Waiting(reply, ackAnswers, timeout));
        return id;
    }

    /**
     * Settles the request {@code message} answers, if any.
     *
     * @return whether it was an answer (or an ack) to a waiting request; if not, it is an event
     */
    boolean answer(JsonNode message) {
        String id = message.path("transaction").asText(null);
        Waiting w = id == null ? null : waiting.get(id);
        if (w == null) {
            return false;
        }
        String type = message.path("janus").asText();
        switch (type) {
            case "ack" -> {
                if (w.ackAnswers()) {
                    settle(id, w).complete(message);
                }
                return true;
            }
            case "error" -> {
                JsonNode error = message.path("error");
                settle(id, w).completeExceptionally(new JanusException(error.path("code").asInt(JanusException.PROTOCOL),
                        error.path("reason").asText("no reason given")));
                return true;
            }
            case "success", "server_info", "event" -> {
                settle(id, w).complete(message);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    void fail(String id, JanusException failure) {
        Waiting w = waiting.remove(id);
        if (w != null) {
            w.timeout().cancel(false);
            w.reply().completeExceptionally(failure);
        }
    }

    /** Fails every waiting request: the connection is gone, so no answer will come. */
    void failAll(JanusException failure) {
        for (String id : new ArrayList<>(waiting.keySet())) {
            fail(id, failure);
        }
    }

    int size() {
        return waiting.size();
    }

    private CompletableFuture<JsonNode> settle(String id, Waiting w) {
        waiting.remove(id);
        w.timeout().cancel(false);
        return w.reply();
    }
}
