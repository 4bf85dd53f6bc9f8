package dev.myzoom.bench;

import dev.myzoom.support.Postgres;
import dev.myzoom.support.TestServer;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chat lines stored and acked per second, on H2 and on PostgreSQL: S senders, each in a room of its own,
 * keep W lines in flight (the next goes out as an ack comes back) until N lines are acked. Every
 * ack means the line is committed. Not a test; run it with
 * {@code ./mvnw test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.myzoom.bench.ChatStoreBenchmark -Dexec.args="20000 4 16"} (N, S, W).
 */
public final class ChatStoreBenchmark {
    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int senders = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        run("H2 (embedded file)", lines, senders, window, "jdbc:h2:file:./target/bench-h2/db;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa");
        try (Postgres pg = Postgres.any()) {
            run("PostgreSQL", lines, senders, window, pg.url(), pg.user());
        }
        System.exit(0);
    }

    /** Keeps {@code window} chat lines in flight on one socket: each ack or error sends the next. */
    static final class Sender implements WebSocket.Listener {
        final CompletableFuture<Void> finished = new CompletableFuture<>();
        private final int share;
        private final AtomicLong acked;
        private final AtomicLong refused;
        private int sent;
        private int answered;
        private WebSocket ws;
        private CompletableFuture<WebSocket> sending;

        Sender(int share, AtomicLong acked, AtomicLong refused) {
            this.share = share;
            this.acked = acked;
            this.refused = refused;
        }

        synchronized void start(WebSocket ws, String room, int window) {
            this.ws = ws;
            sending = ws.sendText("{\"type\":\"join\",\"id\":\"j\",\"room\":\"" + room + "\",\"nick\":\"s\"}", true);
            for (int i = 0; i < window; i++) {
                next();
            }
        }

        // The JDK's WebSocket takes one send at a time, so sends are chained.
        private synchronized void next() {
            if (sent == share) {
                return;
            }
            int n = sent++;
            sending = sending.thenCompose(w -> w.sendText(
                    "{\"type\":\"chat\",\"id\":\"c" + n + "\",\"text\":\"line " + n + " 한국어 🙂\"}", true));
        }

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            // A message may come in parts; only a whole one can be read.
            partial.append(data);
            if (!last) {
                w.request(1);
                return null;
            }
            String frame = partial.toString();
            partial.setLength(0);
            boolean ack = frame.startsWith("{\"type\":\"ack\"") && frame.contains("msgId");
            boolean error = frame.startsWith("{\"type\":\"error\"");
            if (ack || error) {
                (ack ? acked : refused).incrementAndGet();
                synchronized (this) {
                    if (++answered == share) {
                        finished.complete(null);
                    }
                }
                next();
            }
            w.request(1);
            return null;
        }
    }

    static void run(String name, int lines, int senders, int window, String url, String user) throws Exception {
        try (TestServer server = TestServer.start("DATABASE_URL", url, "DATABASE_USER", user,
                "RATE_LIMIT", "100000", "RATE_BURST", "100000", "CHAT_HISTORY", "0")) {
            HttpClient http = HttpClient.newHttpClient();
            AtomicLong acked = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            List<CompletableFuture<Void>> done = new ArrayList<>();
            List<WebSocket> sockets = new ArrayList<>();
            long start = System.nanoTime();
            for (int s = 0; s < senders; s++) {
                int share = lines / senders;
                Sender sender = new Sender(share, acked, refused);
                WebSocket ws = http.newWebSocketBuilder().buildAsync(server.wsUri(), sender).join();
                sockets.add(ws);
                // A room each: this measures storing and acking, not fan-out to the others.
                sender.start(ws, "bench-" + s, window);
                done.add(sender.finished);
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).orTimeout(5, java.util.concurrent.TimeUnit.MINUTES).join();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%-20s %d lines acked in %.2f s: %.0f lines/s stored and acked (%d refused; %d senders, %d in flight each)%n",
                    name, acked.get(), seconds, acked.get() / seconds, refused.get(), senders, window);
            sockets.forEach(WebSocket::abort);
        }
    }
}
