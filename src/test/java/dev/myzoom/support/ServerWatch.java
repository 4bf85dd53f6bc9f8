package dev.myzoom.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches a server in a JVM of its own while a test attacks it: every quarter second, whether
 * {@code /health/live} answers within 2 s, the heap in use (from its /metrics) and its RSS, with
 * the peaks. Start it before the attack and close it after.
 */
public final class ServerWatch implements AutoCloseable {
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    public final AtomicLong peakHeap = new AtomicLong();
    public final AtomicLong peakRss = new AtomicLong();
    public final AtomicInteger polls = new AtomicInteger();
    public final AtomicInteger healthy = new AtomicInteger();
    private final ServerProcess server;
    private final Thread thread;
    private volatile boolean stop;

    public ServerWatch(ServerProcess server) {
        this.server = server;
        this.thread = new Thread(this::watch, "server-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Heap in use now, from the server's own /metrics. */
    public static long heapUsed(ServerProcess server) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(server.url("/metrics"))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return (long) metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private void watch() {
        while (!stop) {
            polls.incrementAndGet();
            try {
                HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(server.url("/health/live")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (live.statusCode() == 200) {
                    healthy.incrementAndGet();
                }
                peakHeap.accumulateAndGet(heapUsed(server), Math::max);
            } catch (Exception e) {
                // counted as a poll that went unanswered
            }
            peakRss.accumulateAndGet(server.rssBytes(), Math::max);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Peak heap and RSS in MB, and how many health polls were answered, for the test's output. */
    public String figures() {
        return String.format("peak heap %d MB, peak RSS %d MB, /health/live %d of %d answered within 2 s",
                peakHeap.get() >> 20, peakRss.get() >> 20, healthy.get(), polls.get());
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
    }
}
