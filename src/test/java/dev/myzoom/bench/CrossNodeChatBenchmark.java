package dev.myzoom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.support.Redis;
import dev.myzoom.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What Redis adds to a chat line between nodes. Two nodes and a private redis-server in this
 * process; the room lives on node one. Each line is timed from its send to its arrival at three
 * listeners: one on node one (same node as the room), one on node two (one trip through Redis),
 * and, for lines sent from node two, one on node two too (to the room and back: two trips).
 * Usage: {@code ./mvnw test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.myzoom.bench.CrossNodeChatBenchmark [-Dexec.args="LINES INTERVAL_MS"]}
 */
public final class CrossNodeChatBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int intervalMs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String database = "jdbc:h2:mem:bench-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        try (Redis redis = Redis.start();
                TestServer one = TestServer.start("REDIS_URL", redis.url(), "DATABASE_URL", database, "RATE_LIMIT", "100000",
                        "RATE_BURST", "100000");
                TestServer two = TestServer.start("REDIS_URL", redis.url(), "DATABASE_URL", database, "RATE_LIMIT", "100000",
                        "RATE_BURST", "100000")) {
            Timed senderOne = Timed.join(one.wsUri(), "SenderOne");
            Timed sameNode = Timed.join(one.wsUri(), "Same");
            Timed otherNode = Timed.join(two.wsUri(), "Other");
            Timed senderTwo = Timed.join(two.wsUri(), "SenderTwo");
            Timed twoTrips = Timed.join(two.wsUri(), "Back");

            Map<String, Long> sent = new ConcurrentHashMap<>();
            // Warm up the JIT and the database first: the first thousand lines are not counted.
            run(senderOne, "w", 1000, intervalMs, sent, List.of(sameNode, otherNode));
            run(senderOne, "a", lines, intervalMs, sent, List.of(sameNode, otherNode));
            run(senderTwo, "b", lines, intervalMs, sent, List.of(twoTrips));

            List<Double> same = sameNode.latencies("a", sent);
            List<Double> cross = otherNode.latencies("a", sent);
            List<Double> back = twoTrips.latencies("b", sent);
            System.out.printf("%d lines each, one every %d ms%n", lines, intervalMs);
            report("same node (no Redis)", same, lines);
            report("other node (Redis once)", cross, lines);
            report("sent from and to the other node (Redis twice)", back, lines);
            System.out.printf("Redis adds: p50 %.2f ms, p99 %.2f ms (one trip, against the same node)%n",
                    percentile(cross, 50) - percentile(same, 50), percentile(cross, 99) - percentile(same, 99));
        }
    }

    private static void run(Timed sender, String tag, int lines, int intervalMs, Map<String, Long> sent,
            List<Timed> receivers) throws InterruptedException {
        for (Timed r : receivers) {
            r.expect(lines);
        }
        for (int i = 0; i < lines; i++) {
            String text = tag + i;
            sent.put(text, System.nanoTime());
            sender.send("{\"type\":\"chat\",\"id\":\"" + text + "\",\"text\":\"" + text + "\"}");
            Thread.sleep(intervalMs);
        }
        for (Timed r : receivers) {
            if (!r.done.await(30, TimeUnit.SECONDS)) {
                System.out.printf("%s got only %d of %d lines%n", r.nick, lines - r.done.getCount(), lines);
            }
        }
    }

    private static void report(String what, List<Double> ms, int expected) {
        System.out.printf("%-48s delivered %d/%d  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms%n", what,
                ms.size(), expected, percentile(ms, 50), percentile(ms, 95), percentile(ms, 99), percentile(ms, 100));
        System.out.printf("{\"scenario\":\"cluster-chat\",\"path\":\"%s\",\"delivered\":%d,\"expected\":%d,\"p50Ms\":%.3f,\"p99Ms\":%.3f}%n",
                what, ms.size(), expected, percentile(ms, 50), percentile(ms, 99));
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = values.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** A WebSocket client that notes when each chat line arrives, on the socket's own thread. */
    private static final class Timed implements WebSocket.Listener {
        final String nick;
        final Map<String, Long> arrived = new ConcurrentHashMap<>();
        final StringBuilder partial = new StringBuilder();
        volatile CountDownLatch done = new CountDownLatch(0);
        final CompletableFuture<Void> joined = new CompletableFuture<>();
        WebSocket socket;

        private Timed(String nick) {
            this.nick = nick;
        }

        static Timed join(URI uri, String nick) {
            Timed t = new Timed(nick);
            t.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, t).join();
            t.send("{\"type\":\"join\",\"id\":\"j\",\"room\":\"bench\",\"nick\":\"" + nick + "\"}");
            t.joined.orTimeout(10, TimeUnit.SECONDS).join();
            return t;
        }

        synchronized void send(String frame) {
            socket.sendText(frame, true).join();
        }

        void expect(int lines) {
            done = new CountDownLatch(lines);
        }

        List<Double> latencies(String tag, Map<String, Long> sent) {
            List<Double> ms = new ArrayList<>();
            arrived.forEach((text, at) -> {
                if (text.startsWith(tag)) {
                    ms.add((at - sent.get(text)) / 1e6);
                }
            });
            return ms;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode m = JSON.readTree(frame);
                    String type = m.path("type").asText();
                    if (type.equals("chat")) {
                        arrived.put(m.get("text").asText(), now);
                        done.countDown();
                    } else if (type.equals("ack") && m.path("id").asText().equals("j")) {
                        joined.complete(null);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            ws.request(1);
            return null;
        }
    }
}
