package dev.myzoom.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's clients: plain JDK WebSockets, one or many per {@link HttpClient} (whose one
 * selector thread carries all of its sockets). Each client notes, for every chat line it receives, how long ago it
 * was sent: the sender puts {@code System.nanoTime()} in the text, and both run in this process.
 */
final class Load {
    private final List<HttpClient> https = new ArrayList<>();
    private final int socketsPerHttpClient;
    private int opened;

    /**
     * @param socketsPerHttpClient how many sockets share one HttpClient and its selector thread:
     *     1 for busy clients (a shared selector becomes the bottleneck long before the server
     *     does), thousands for idle ones
     */
    Load(int socketsPerHttpClient) {
        this.socketsPerHttpClient = socketsPerHttpClient;
    }

    /** One client: its socket, its latencies in ms, and a future for its next ack. */
    final class Client implements WebSocket.Listener {
        WebSocket socket;
        final float[][] latencies = {new float[1024]};
        int count;
        final AtomicLong received = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        volatile CompletableFuture<Void> acked = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

        /** Sends a request and completes when its ack (or error) comes. */
        CompletableFuture<Void> request(String frame) {
            CompletableFuture<Void> next = new CompletableFuture<>();
            acked = next;
            send(frame);
            return next;
        }

        /** Sends without waiting; sends from one client go out one after another. */
        synchronized void send(String frame) {
            sending = sending.thenCompose(x -> socket.sendText(frame, true));
        }

        void chat(String id) {
            send("{\"type\":\"chat\",\"id\":\"" + id + "\",\"text\":\"t" + System.nanoTime() + "\"}");
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                int at = frame.indexOf("\"text\":\"t");
                if (at >= 0 && frame.startsWith("{\"type\":\"chat\"")) {
                    int start = at + 9;
                    long sent = Long.parseLong(frame, start, frame.indexOf('"', start), 10);
                    record((now - sent) / 1e6f);
                } else if (frame.startsWith("{\"type\":\"error\"")) {
                    errors.incrementAndGet();
                    acked.complete(null);
                } else if (frame.startsWith("{\"type\":\"ack\"") && !frame.contains("\"msgId\"")) {
                    acked.complete(null);
                }
            }
            ws.request(1);
            return null;
        }

        private synchronized void record(float ms) {
            if (count == latencies[0].length) {
                latencies[0] = java.util.Arrays.copyOf(latencies[0], count * 2);
            }
            latencies[0][count++] = ms;
            received.incrementAndGet();
        }

        synchronized void clear() {
            count = 0;
            received.set(0);
        }

        synchronized void drainInto(List<Float> all) {
            for (int i = 0; i < count; i++) {
                all.add(latencies[0][i]);
            }
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    /** Opens a client and joins {@code room}; completes once the join is acked. */
    CompletableFuture<Client> join(URI ws, String room, String nick) {
        Client client = new Client();
        return http().newWebSocketBuilder().buildAsync(ws, client).thenCompose(socket -> {
            client.socket = socket;
            return client.request("{\"type\":\"join\",\"id\":\"j\",\"room\":\"" + room + "\",\"nick\":\"" + nick + "\"}");
        }).thenApply(x -> client).orTimeout(60, TimeUnit.SECONDS);
    }

    private synchronized HttpClient http() {
        if (opened++ % socketsPerHttpClient == 0) {
            https.add(HttpClient.newHttpClient());
        }
        return https.get(https.size() - 1);
    }

    static List<Float> latencies(List<Client> clients) {
        List<Float> all = new ArrayList<>();
        clients.forEach(c -> c.drainInto(all));
        return all;
    }
}
