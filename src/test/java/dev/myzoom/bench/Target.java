package dev.myzoom.bench;

import dev.myzoom.support.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The server being measured: a JVM of its own that the tool starts (so that its CPU time and
 * memory can be read from /proc), or one already running at {@code --url} (no CPU or memory then).
 */
final class Target implements AutoCloseable {
    /** Settings that let the load through: no rate limit, big rooms, no idle drops. */
    static final Map<String, String> LOAD_SETTINGS = Map.of(
            "RATE_LIMIT", "100000", "RATE_BURST", "100000", "MAX_MESH_PARTICIPANTS", "200",
            "IDLE_TIMEOUT_SECONDS", "3600", "CHAT_HISTORY", "0",
            "MAX_CONNECTIONS_PER_ADDRESS", "1000000", "UPGRADE_RATE", "100000", "MAX_CONNECTIONS", "1000000",
            "DATABASE_URL", "jdbc:h2:mem:bench;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
    private static final long TICKS_PER_SECOND = 100;

    final List<URI> ws;
    final String http;
    private final List<ServerProcess> processes;

    private Target(List<URI> ws, String http, List<ServerProcess> processes) {
        this.ws = ws;
        this.http = http;
        this.processes = processes;
    }

    static Target start(Map<String, String> extra) throws IOException {
        Map<String, String> settings = new HashMap<>(LOAD_SETTINGS);
        settings.putAll(extra);
        String jfr = System.getProperty("bench.jfr");
        if (jfr != null) {
            // A CPU profile of the server, for finding where the time goes (see docs/benchmarks.md).
            settings.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=settings=profile,filename=" + jfr);
        }
        ServerProcess process = ServerProcess.start(settings);
        return new Target(List.of(process.wsUri()), process.url(""), List.of(process));
    }

    static Target at(String url) {
        URI base = URI.create(url);
        URI ws = URI.create((base.getScheme().equals("https") ? "wss" : "ws") + "://" + base.getAuthority() + "/ws");
        return new Target(List.of(ws), url, List.of());
    }

    /** Two nodes seen as one: clients alternate between them; CPU and memory are their sums. */
    static Target both(Target one, Target two) {
        List<ServerProcess> all = new java.util.ArrayList<>(one.processes);
        all.addAll(two.processes);
        return new Target(List.of(one.ws.get(0), two.ws.get(0)), one.http, all);
    }

    /** CPU seconds the server (all its nodes) has used so far, user and system, or -1. */
    double cpuSeconds() {
        return sum(Target::cpuSeconds);
    }

    /** The server's resident memory in bytes (all its nodes), or -1. */
    long rssBytes() {
        return (long) sum(Target::rssBytes);
    }

    /** A figure summed over the server's nodes, or -1 when the tool did not start them. */
    private double sum(java.util.function.ToDoubleFunction<ServerProcess> figure) {
        return processes.isEmpty() ? -1 : processes.stream().mapToDouble(figure).sum();
    }

    private static double cpuSeconds(ServerProcess process) {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.process.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND;
        } catch (IOException e) {
            return -1;
        }
    }

    private static long rssBytes(ServerProcess process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return -1;
    }

    /** Runs a full GC in the server (jcmd) and returns the heap in use after it, from /metrics; or -1. */
    long heapAfterGc() {
        if (processes.size() != 1) {
            return -1;
        }
        ServerProcess process = processes.get(0);
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            new ProcessBuilder(jcmd.toString(), String.valueOf(process.process.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double heap = 0;
            for (String line : metrics.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return (long) heap;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        for (ServerProcess process : processes) {
            process.process.destroy(); // SIGTERM: a clean stop, which also writes the JFR file
            try {
                if (!process.process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
