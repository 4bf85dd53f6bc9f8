package dev.myzoom.bench;

import dev.myzoom.support.Redis;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * The project's benchmark tool. It starts the server in a JVM of its own (or measures one at
 * {@code --url}), drives it from this process with JDK WebSocket clients, and prints one JSON
 * line per result and a table. Scenarios:
 * <ul>
 * <li>{@code fanout}: R rooms of M members chatting at a fixed total rate; delivery latency from
 * the send time carried in each line, deliveries against expected, server CPU and RSS;
 * <li>{@code capacity}: N idle joined clients; connect rate, server memory per client, and a
 * broadcast to a room of 100 meanwhile;
 * <li>{@code cluster}: fanout with the members split over two nodes and Redis, against one node;
 * <li>{@code join}: two Chromium users, Join click to first remote frame (see
 * {@link JoinToFirstFrameBenchmark}; needs the network namespace).
 * </ul>
 * Usage: {@code ./mvnw test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.myzoom.bench.Bench -Dexec.args="fanout capacity cluster --repeats 3"}.
 * See docs/benchmarks.md.
 */
public final class Bench {
    private static final List<String> TABLE = new ArrayList<>();
    private static int repeats = 3;
    private static int seconds = 10;
    private static String url;
    private static Path chart = Path.of("docs/benchmarks/fanout-1x50.png");
    /** With {@code --shape 1x50@1000}, the fanout scenario runs only that shape and rate. */
    private static String only;

    public static void main(String[] args) throws Exception {
        List<String> scenarios = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--url" -> url = args[++i];
                case "--chart" -> chart = Path.of(args[++i]);
                case "--shape" -> only = args[++i];
                case "--clients" -> clientCounts = java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> scenarios.add(args[i]);
            }
        }
        if (scenarios.isEmpty() || scenarios.contains("all")) {
            scenarios = List.of("fanout", "capacity", "cluster", "join");
        }
        System.out.printf("My Zoom benchmarks on %d cores, Java %s; %d repeats of %d s; medians reported%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), repeats, seconds);
        for (String scenario : scenarios) {
            switch (scenario) {
                case "fanout" -> fanoutScenario();
                case "capacity" -> capacityScenario();
                case "cluster" -> clusterScenario();
                case "join" -> joinScenario();
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            }
        }
        System.out.println();
        TABLE.forEach(System.out::println);
        System.exit(0);
    }

    // ---- fanout

    /** One fanout run's figures. */
    record Fanout(double p50, double p95, double p99, double max, long delivered, long expected, long errors,
            double cpuPercent, long rssBytes) {}

    static void fanoutScenario() throws Exception {
        int[][] shapes = {{1, 50}, {10, 10}, {100, 2}};
        int[] rates = {200, 1000, 3000, 5000};
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        for (int[] shape : shapes) {
            for (int rate : rates) {
                if (only != null && !only.equals(shape[0] + "x" + shape[1] + "@" + rate)) {
                    continue;
                }
                Fanout f = repeated(() -> {
                    try (Target target = url != null ? Target.at(url) : Target.start(Map.of())) {
                        return fanout(target, shape[0], shape[1], rate, "f");
                    }
                }, "fanout " + shape[0] + "x" + shape[1] + " @" + rate);
                report("fanout", shape[0] + "x" + shape[1], rate, f);
                if (shape[0] == 1) {
                    lines.computeIfAbsent("p50", k -> new ArrayList<>()).add(new double[] {rate, f.p50()});
                    lines.computeIfAbsent("p95", k -> new ArrayList<>()).add(new double[] {rate, f.p95()});
                    lines.computeIfAbsent("p99", k -> new ArrayList<>()).add(new double[] {rate, f.p99()});
                }
            }
        }
        if (only != null) {
            return;
        }
        Chart.write(chart, "Chat delivery latency, one room of 50, one node (2 cores)", "messages per second (sent)",
                "latency, ms (log scale)", lines);
        System.out.println("chart written to " + chart);
    }

    /** R rooms of M members; every member sends in turn so that all together send {@code rate} lines a second. */
    static Fanout fanout(Target target, int rooms, int members, int rate, String prefix) throws Exception {
        try (Load load = new Load()) {
            return fanout(load, target, rooms, members, rate, prefix);
        }
    }

    private static Fanout fanout(Load load, Target target, int rooms, int members, int rate, String prefix) throws Exception {
        List<Load.Client> clients = new ArrayList<>();
        List<CompletableFuture<Load.Client>> joining = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            for (int m = 0; m < members; m++) {
                URI ws = target.ws.get((r * members + m) % target.ws.size());
                joining.add(load.join(ws, prefix + r, "m" + m));
                if (joining.size() % 200 == 0) {
                    CompletableFuture.allOf(joining.toArray(CompletableFuture[]::new)).join();
                }
            }
        }
        for (CompletableFuture<Load.Client> c : joining) {
            clients.add(c.join());
        }
        // Clients in room order: client i is in room i / members.
        // Warm-up, not counted; wait until it has all arrived, so that no backlog spills over.
        long warm = send(clients, rate, 1) * (members - 1);
        long settle = System.nanoTime() + 5_000_000_000L;
        while (clients.stream().mapToLong(c -> c.received.get()).sum() < warm && System.nanoTime() < settle) {
            Thread.sleep(20);
        }
        Thread.sleep(200);
        clients.forEach(Load.Client::clear);
        double cpu0 = target.cpuSeconds();
        long wall0 = System.nanoTime();
        long sent = send(clients, rate, seconds);
        long expected = sent * (members - 1);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (clients.stream().mapToLong(c -> c.received.get()).sum() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double cpu = target.cpuSeconds() < 0 ? -1
                : (target.cpuSeconds() - cpu0) / ((System.nanoTime() - wall0) / 1e9) * 100;
        long rss = target.rssBytes();
        List<Float> all = Load.latencies(clients);
        long errors = clients.stream().mapToLong(c -> c.errors.get()).sum();
        clients.forEach(Load.Client::close);
        float[] sorted = new float[all.size()];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = all.get(i);
        }
        Arrays.sort(sorted);
        return new Fanout(pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), pct(sorted, 100), sorted.length, expected,
                errors, cpu, rss);
    }

    /** Sends {@code rate} lines a second for {@code secs} seconds, round robin over the clients; returns how many. */
    private static long send(List<Load.Client> clients, int rate, int secs) {
        long total = (long) rate * secs;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 50_000) {
                LockSupport.parkNanos(wait);
            }
            clients.get((int) (i % clients.size())).chat("c" + i);
        }
        return total;
    }

    // ---- capacity

    // 19,500 rather than 20,000: each process may hold 20,000 files here, and the server needs a few
    // beyond its sockets (see docs/benchmarks.md).
    private static int[] clientCounts = {1000, 5000, 10000, 19500};

    static void capacityScenario() throws Exception {
        for (int n : clientCounts) {
            try (Target target = url != null ? Target.at(url) : Target.start(Map.of())) {
                Load load = new Load();
                // A server that has been up a while is warm: a first 2,000 join and leave, so that
                // the JIT has compiled the join path before it is timed.
                List<Load.Client> warm = joinAll(load, target, 2000, "warm");
                warm.forEach(Load.Client::close);
                Thread.sleep(2000);
                long heap0 = target.heapAfterGc();
                long rss0 = target.rssBytes();
                List<Load.Client> clients = new ArrayList<>();
                long t0 = System.nanoTime();
                double cpu0 = target.cpuSeconds();
                clients.addAll(joinAll(load, target, n, "cap"));
                double joinSeconds = (System.nanoTime() - t0) / 1e9;
                double joinCpu = cpu0 < 0 ? -1 : (target.cpuSeconds() - cpu0) / joinSeconds * 100;
                long heap1 = target.heapAfterGc();
                long rss1 = target.rssBytes();
                // A broadcast to a room of 100 while the N idle clients stay connected.
                List<Load.Client> room = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    room.add(load.join(target.ws.get(0), "big", "b" + i).join());
                }
                room.get(0).clear();
                for (int i = 0; i < 200; i++) {
                    room.get(0).chat("b" + i);
                    Thread.sleep(10);
                }
                Thread.sleep(1000);
                List<Float> all = Load.latencies(room);
                float[] sorted = new float[all.size()];
                for (int i = 0; i < sorted.length; i++) {
                    sorted[i] = all.get(i);
                }
                Arrays.sort(sorted);
                String json = String.format(Locale.ROOT,
                        "{\"scenario\":\"capacity\",\"clients\":%d,\"joinsPerSecond\":%.0f,\"joinCpuPercent\":%.0f,\"rssPerClientKB\":%.1f,"
                                + "\"heapPerClientKB\":%.1f,\"rssMB\":%.0f,\"broadcast100P50Ms\":%.2f,\"broadcast100P99Ms\":%.2f,"
                                + "\"broadcastDelivered\":%d,\"broadcastExpected\":%d}",
                        n, n / joinSeconds, joinCpu, (rss1 - rss0) / 1024.0 / n, (heap1 - heap0) / 1024.0 / n, rss1 / 1048576.0,
                        pct(sorted, 50), pct(sorted, 99), sorted.length, 200 * 99);
                System.out.println(json);
                TABLE.add(String.format(Locale.ROOT, "capacity %6d clients: %5.0f joins/s at %3.0f %% CPU, RSS %5.1f KB/client, heap %5.1f KB/client,"
                                + " RSS %4.0f MB; broadcast to 100: p50 %.2f ms, p99 %.2f ms (%d/%d)",
                        n, n / joinSeconds, joinCpu, (rss1 - rss0) / 1024.0 / n, (heap1 - heap0) / 1024.0 / n, rss1 / 1048576.0,
                        pct(sorted, 50), pct(sorted, 99), sorted.length, 200 * 99));
                clients.forEach(Load.Client::close);
                room.forEach(Load.Client::close);
                load.close();
            }
        }
    }

    /** Joins {@code n} clients to rooms of 10, 500 connects at a time. */
    private static List<Load.Client> joinAll(Load load, Target target, int n, String prefix) {
        List<Load.Client> clients = new ArrayList<>();
        List<CompletableFuture<Load.Client>> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(load.join(target.ws.get(0), prefix + (i / 10), "c" + i));
            if (batch.size() == 500 || i == n - 1) {
                for (CompletableFuture<Load.Client> c : batch) {
                    clients.add(c.join());
                }
                batch.clear();
            }
        }
        return clients;
    }

    // ---- cluster

    static void clusterScenario() throws Exception {
        for (int rate : new int[] {1000, 3000}) {
            Fanout single = repeated(() -> {
                try (Target one = Target.start(Map.of())) {
                    return fanout(one, 1, 50, rate, "s");
                }
            }, "cluster baseline @" + rate);
            report("cluster", "1x50 one node", rate, single);
            Fanout split = repeated(() -> {
                try (Redis redis = Redis.start();
                        Target one = Target.start(Map.of("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET));
                        Target two = Target.start(Map.of("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET))) {
                    return fanout(Target.both(one, two), 1, 50, rate, "c");
                }
            }, "cluster split @" + rate);
            report("cluster", "1x50 two nodes", rate, split);
        }
    }

    // ---- join

    static void joinScenario() {
        List<Double> times = JoinToFirstFrameBenchmark.measure(10);
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
        System.out.printf(Locale.ROOT, "{\"scenario\":\"join\",\"runs\":%d,\"minMs\":%.0f,\"medianMs\":%.0f,\"maxMs\":%.0f}%n",
                sorted.length, sorted[0], median, sorted[sorted.length - 1]);
        TABLE.add(String.format(Locale.ROOT, "join: Join click to first remote frame over %d runs: min %.0f, median %.0f, max %.0f ms",
                sorted.length, sorted[0], median, sorted[sorted.length - 1]));
    }

    // ---- helpers

    interface Run {
        Fanout run() throws Exception;
    }

    /** Runs {@code repeats} times and keeps, for each figure, the median; prints the spread of p99. */
    static Fanout repeated(Run run, String what) throws Exception {
        List<Fanout> runs = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            runs.add(run.run());
        }
        double[] p99s = runs.stream().mapToDouble(Fanout::p99).sorted().toArray();
        System.out.printf(Locale.ROOT, "  %s: p99 over %d repeats ranged %.2f to %.2f ms%n", what, runs.size(), p99s[0],
                p99s[p99s.length - 1]);
        return new Fanout(median(runs, Fanout::p50), median(runs, Fanout::p95), median(runs, Fanout::p99),
                median(runs, Fanout::max), (long) median(runs, f -> f.delivered()), runs.get(0).expected(),
                (long) median(runs, f -> f.errors()), median(runs, Fanout::cpuPercent), (long) median(runs, f -> f.rssBytes()));
    }

    private static double median(List<Fanout> runs, java.util.function.ToDoubleFunction<Fanout> figure) {
        double[] v = runs.stream().mapToDouble(figure).sorted().toArray();
        return (v[(v.length - 1) / 2] + v[v.length / 2]) / 2;
    }

    private static void report(String scenario, String shape, int rate, Fanout f) {
        System.out.printf(Locale.ROOT, "{\"scenario\":\"%s\",\"shape\":\"%s\",\"rate\":%d,\"p50Ms\":%.2f,\"p95Ms\":%.2f,"
                        + "\"p99Ms\":%.2f,\"maxMs\":%.2f,\"delivered\":%d,\"expected\":%d,\"errors\":%d,\"cpuPercent\":%.0f,"
                        + "\"rssMB\":%.0f}%n", scenario, shape, rate, f.p50(), f.p95(), f.p99(), f.max(), f.delivered(),
                f.expected(), f.errors(), f.cpuPercent(), f.rssBytes() / 1048576.0);
        TABLE.add(String.format(Locale.ROOT, "%-8s %-15s %5d/s  p50 %7.2f  p95 %7.2f  p99 %7.2f  max %8.2f ms  "
                        + "delivered %8d/%-8d  CPU %4.0f%%  RSS %4.0f MB", scenario, shape, rate, f.p50(), f.p95(), f.p99(),
                f.max(), f.delivered(), f.expected(), f.cpuPercent(), f.rssBytes() / 1048576.0));
    }

    static double pct(float[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
