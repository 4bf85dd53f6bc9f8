package dev.myzoom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.support.RawSocket;
import dev.myzoom.support.ServerProcess;
import dev.myzoom.support.ServerWatch;
import dev.myzoom.support.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Findings 2 and 3 of the security audit: 54 wrong passwords at once from one address drove a
 * server at -Xmx1g into OutOfMemoryError (Argon2id, 19 MiB each, on the WebSocket threads, and
 * the throttle checked before and counted after the slow hash), and setPassword queued hashes on
 * the common pool without bound. The server runs in a JVM of its own at -Xmx1g.
 */
class PasswordFloodTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fiftyWrongPasswordsAtOnceAreMostlyRefusedUnhashedAndTheServerStaysWell() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of(), List.of("-Xmx1g"));
                WsClient host = WsClient.connect(server.wsUri(), null)) {
            host.join("vault", "Host");
            host.ok("setPassword", "password", "the right one");

            List<WsClient> guessers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                guessers.add(WsClient.connect(server.wsUri(), null));
            }
            // Two people chat in another room throughout: the flood must not reach them.
            WsClient speaker = WsClient.connect(server.wsUri(), null);
            WsClient listener = WsClient.connect(server.wsUri(), null);
            speaker.join("witness", "Speaker");
            listener.join("witness", "Listener");
            List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicBoolean flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread witness = new Thread(() -> {
                for (int i = 0; flooding.get() || i < 10; i++) {
                    long t = System.nanoTime();
                    speaker.ok("chat", "text", "still here " + i);
                    listener.next("chat");
                    latencies.add((System.nanoTime() - t) / 1_000_000);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "witness");
            ServerWatch watch = new ServerWatch(server);
            witness.start();
            ExecutorService pool = Executors.newFixedThreadPool(50);
            long start = System.nanoTime();
            List<CompletableFuture<String>> outcomes = new ArrayList<>();
            for (WsClient guesser : guessers) {
                outcomes.add(CompletableFuture.supplyAsync(() -> {
                    JsonNode reply = guesser.call("join", "room", "vault", "nick", "Guess", "password", "wrong");
                    return reply.path("code").asText(reply.path("type").asText());
                }, pool));
            }
            Map<String, Integer> counts = new TreeMap<>();
            for (CompletableFuture<String> outcome : outcomes) {
                counts.merge(outcome.get(40, TimeUnit.SECONDS), 1, Integer::sum);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            pool.shutdown();
            flooding.set(false);
            witness.join(30_000);
            watch.close();
            java.util.Collections.sort(latencies);
            System.out.printf("50 wrong passwords at once: %s in %d ms; %s; witness chat p50 %d ms, p99 %d ms, max %d ms%n",
                    counts, millis, watch.figures(), latencies.get(latencies.size() / 2),
                    latencies.get(latencies.size() * 99 / 100), latencies.get(latencies.size() - 1));
            speaker.close();
            listener.close();
            assertTrue(counts.getOrDefault("wrong_password", 0) <= PasswordChecks.PER_ADDRESS_AND_ROOM,
                    "more were hashed than allowed: " + counts);
            assertEquals(50, counts.getOrDefault("wrong_password", 0) + counts.getOrDefault("too_many_attempts", 0),
                    "every guess gets wrong_password or too_many_attempts: " + counts);
            for (WsClient guesser : guessers) {
                assertTrue(!guesser.isClosed(), "a guesser's connection was closed (out of memory?)");
                guesser.close();
            }

            // Someone else, from another address, still gets in with the right password at once.
            try (RawSocket friend = RawSocket.open("127.0.0.2", "127.0.0.1", server.port)) {
                friend.readText(); // welcome
                friend.sendText("{\"type\":\"join\",\"id\":\"f\",\"room\":\"vault\",\"nick\":\"Friend\",\"password\":\"the right one\"}");
                JsonNode reply = JSON.readTree(friend.readText());
                assertEquals("ack", reply.get("type").asText(), reply.toString());
            }
            host.ok("ping");
        }
    }

    @Test
    void setPasswordIsLimitedPerRoomAndNeverQueuesWithoutEnd() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of(), List.of("-Xmx1g"));
                WsClient host = WsClient.connect(server.wsUri(), null)) {
            host.join("busy-host", "Host");
            for (int i = 0; i < 10; i++) {
                host.send(WsClient.request("setPassword", "password", "secret " + i));
            }
            List<JsonNode> replies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                replies.add(host.next(m -> m.path("type").asText().equals("ack") || m.path("type").asText().equals("error")));
            }
            long acked = replies.stream().filter(m -> m.get("type").asText().equals("ack")).count();
            long limited = replies.stream().filter(m -> m.path("code").asText().equals("rate_limited")).count();
            assertEquals(1, acked, replies.toString());
            assertEquals(9, limited, replies.toString());
            // The one that was accepted is in force.
            try (WsClient other = WsClient.connect(server.wsUri(), null)) {
                assertEquals("password_required", other.call("join", "room", "busy-host", "nick", "O").get("code").asText());
            }
        }
    }
}
