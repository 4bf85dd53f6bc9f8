package dev.myzoom.bench;

import dev.myzoom.support.TestServer;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How the server copes with a burst of joins while home pages watch the room list: C clients
 * connect and each joins K rooms in turn (a join to another room leaves the last one), spread
 * over R rooms, while W clients watch the list. Prints the time for all C×K joins to be acked and
 * what each watcher received. Not a test: run it with
 * {@code ./mvnw test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.myzoom.bench.JoinBurstBenchmark -Dexec.args="5000 4 2000 10"}
 * (C, K, R, W). The clients and the server share this process, so C is bounded by half of
 * {@code ulimit -n}.
 */
public final class JoinBurstBenchmark {

    /** Counts frames and bytes, and completes {@link #acked} when a frame containing {@code "ack"} arrives. */
    static final class Counter implements WebSocket.Listener {
        final AtomicLong frames = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        volatile CompletableFuture<Void> acked = new CompletableFuture<>();

        CompletableFuture<Void> send(WebSocket ws, String frame) {
            CompletableFuture<Void> next = new CompletableFuture<>();
            acked = next;
            return ws.sendText(frame, true).thenCompose(x -> next);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            frames.incrementAndGet();
            bytes.addAndGet(data.length());
            if (data.toString().contains("\"ack\"")) {
                acked.complete(null);
            }
            ws.request(1);
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int joinsEach = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rooms = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        int watchers = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int joins = clients * joinsEach;
        int inFlight = 256;

        try (TestServer server = TestServer.start("RATE_LIMIT", "1000", "RATE_BURST", "1000",
                "IDLE_TIMEOUT_SECONDS", "600", "MAX_MESH_PARTICIPANTS", "50")) {
            HttpClient http = HttpClient.newHttpClient();
            List<Counter> watcherCounters = new ArrayList<>();
            List<WebSocket> sockets = new ArrayList<>();
            for (int i = 0; i < watchers; i++) {
                Counter counter = new Counter();
                WebSocket ws = http.newWebSocketBuilder().buildAsync(server.wsUri(), counter).join();
                counter.send(ws, "{\"type\":\"watchRooms\",\"id\":\"w\"}").join();
                watcherCounters.add(counter);
                sockets.add(ws);
            }
            long watcherFramesBefore = watcherCounters.stream().mapToLong(c -> c.frames.get()).sum();

            long start = System.nanoTime();
            List<CompletableFuture<Void>> window = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Counter counter = new Counter();
                int client = i;
                CompletableFuture<WebSocket> connected = http.newWebSocketBuilder().buildAsync(server.wsUri(), counter);
                CompletableFuture<Void> done = connected.thenAccept(ws -> {
                    synchronized (sockets) {
                        sockets.add(ws);
                    }
                });
                for (int k = 0; k < joinsEach; k++) {
                    String join = "{\"type\":\"join\",\"id\":\"j\",\"room\":\"bench-" + ((client + k * 7919) % rooms)
                            + "\",\"nick\":\"p" + client + "\"}";
                    done = done.thenCompose(x -> counter.send(connected.join(), join));
                }
                window.add(done);
                if (window.size() == inFlight) {
                    CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                    window.clear();
                }
            }
            CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(500); // let the last room-list window go out

            long watcherFrames = watcherCounters.stream().mapToLong(c -> c.frames.get()).sum() - watcherFramesBefore;
            long watcherBytes = watcherCounters.stream().mapToLong(c -> c.bytes.get()).sum();
            System.out.printf("joins: %d (%d clients x %d) into %d rooms, %d room-list watchers%n",
                    joins, clients, joinsEach, rooms, watchers);
            System.out.printf("all joins acked in %.2f s (%.0f joins/s, connect included)%n", seconds, joins / seconds);
            System.out.printf("room-list frames per watcher: %.1f (%.1f KiB each); one frame per join would be %d%n",
                    watcherFrames / (double) watchers, watcherBytes / 1024.0 / watchers, joins);
            System.out.printf("server heap used: %d MiB%n",
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            sockets.forEach(WebSocket::abort);
        }
    }
}
