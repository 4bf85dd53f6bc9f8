package dev.myzoom.media.janus;

import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The JDK WebSocket allows one text send at a time (a second one before the first completes
 * throws), while requests to Janus come from many threads: they queue here and go out in order.
 */
final class Outbox {
    private record Entry(String text, CompletableFuture<Void> sent) {}

    private final WebSocket socket;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private boolean sending;

    Outbox(WebSocket socket) {
        this.socket = socket;
    }

    CompletableFuture<Void> send(String text) {
        Entry entry = new Entry(text, new CompletableFuture<>());
        synchronized (this) {
            queue.add(entry);
            if (sending) {
                return entry.sent();
            }
            sending = true;
        }
        next();
        return entry.sent();
    }

    private void next() {
        Entry entry;
        synchronized (this) {
            entry = queue.poll();
            if (entry == null) {
                sending = false;
                return;
            }
        }
        CompletableFuture<WebSocket> sent;
        try {
            sent = socket.sendText(entry.text(), true);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ws, failure) -> {
            if (failure != null) {
                entry.sent().completeExceptionally(failure);
            } else {
                entry.sent().complete(null);
            }
            next();
        });
    }
}
