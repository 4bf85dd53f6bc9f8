package dev.myzoom.bench;

import dev.myzoom.support.Redis;
import dev.myzoom.support.TestServer;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * What Redis adds to a chat line between nodes. Two nodes and a private redis-server in this
 * process; the room lives on node one. Each line is timed from its send to its arrival at a
 * listener on node one (same node as the room) and one on node two (one trip through Redis); and
 * lines sent from node two to a listener on node two (to the room and back: two trips).
 * Usage: {@code ./mvnw test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.myzoom.bench.CrossNodeChatBenchmark [-Dexec.args="LINES INTERVAL_MS"]}
 */
public final class CrossNodeChatBenchmark {

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int intervalMs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String database = "jdbc:h2:mem:bench-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        String[] settings = {"REDIS_URL", null, "CLUSTER_SECRET", Redis.CLUSTER_SECRET, "DATABASE_URL", database, "RATE_LIMIT", "100000", "RATE_BURST", "100000"};
        try (Redis redis = Redis.start()) {
            settings[1] = redis.url();
            try (TestServer one = TestServer.start(settings); TestServer two = TestServer.start(settings)) {
                Load load = new Load();
                Load.Client senderOne = join(load, one.wsUri(), "SenderOne");
                Load.Client sameNode = join(load, one.wsUri(), "Same");
                Load.Client otherNode = join(load, two.wsUri(), "Other");
                Load.Client senderTwo = join(load, two.wsUri(), "SenderTwo");
                Load.Client twoTrips = join(load, two.wsUri(), "Back");

                // Warm up the JIT and the database first: the first thousand lines are not counted.
                run(senderOne, 1000, intervalMs, List.of(sameNode, otherNode, twoTrips));
                run(senderOne, lines, intervalMs, List.of(sameNode, otherNode, twoTrips));
                float[] same = sorted(sameNode);
                float[] cross = sorted(otherNode);
                run(senderTwo, lines, intervalMs, List.of(twoTrips));
                float[] back = sorted(twoTrips);

                System.out.printf("%d lines each, one every %d ms%n", lines, intervalMs);
                report("same node (no Redis)", same, lines);
                report("other node (Redis once)", cross, lines);
                report("sent from and to the other node (Redis twice)", back, lines);
                System.out.printf(Locale.ROOT, "Redis adds: p50 %.2f ms, p99 %.2f ms (one trip, against the same node)%n",
                        Bench.pct(cross, 50) - Bench.pct(same, 50), Bench.pct(cross, 99) - Bench.pct(same, 99));
            }
        }
    }

    private static Load.Client join(Load load, URI ws, String nick) {
        return load.join(ws, "bench", nick).join();
    }

    /** Sends {@code lines} lines from {@code sender}, then waits until each receiver has them all. */
    private static void run(Load.Client sender, int lines, int intervalMs, List<Load.Client> receivers)
            throws InterruptedException {
        receivers.forEach(Load.Client::clear);
        for (int i = 0; i < lines; i++) {
            sender.chat("l" + i);
            Thread.sleep(intervalMs);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (receivers.stream().anyMatch(r -> r.received.get() < lines) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static float[] sorted(Load.Client client) {
        List<Float> all = Load.latencies(List.of(client));
        float[] values = new float[all.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = all.get(i);
        }
        java.util.Arrays.sort(values);
        return values;
    }

    private static void report(String what, float[] ms, int expected) {
        System.out.printf(Locale.ROOT, "%-48s delivered %d/%d  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms%n", what,
                ms.length, expected, Bench.pct(ms, 50), Bench.pct(ms, 95), Bench.pct(ms, 99), Bench.pct(ms, 100));
        System.out.printf(Locale.ROOT, "{\"scenario\":\"cluster-chat\",\"path\":\"%s\",\"delivered\":%d,\"expected\":%d,"
                + "\"p50Ms\":%.3f,\"p99Ms\":%.3f}%n", what, ms.length, expected, Bench.pct(ms, 50), Bench.pct(ms, 99));
    }
}
