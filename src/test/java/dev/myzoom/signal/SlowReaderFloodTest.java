package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.RawSocket;
import dev.myzoom.support.ServerProcess;
import dev.myzoom.support.ServerWatch;
import dev.myzoom.support.WsClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Finding 1 of the security audit: one anonymous connection that stops reading and asks for
 * history in a loop made the server hold about 1 GB of replies at -Xmx1g (full GCs, health check
 * timing out, other rooms' chat seconds late). The server now drops a client once 2 MB wait for
 * it, and history replies are capped in bytes. The server runs in a JVM of its own at -Xmx1g, as
 * deploy.md advises, so that its heap and RSS can be measured.
 */
class SlowReaderFloodTest {
    @Test
    void aClientThatStopsReadingIsDroppedAndNobodyElseNotices() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of(), List.of("-Xmx1g"))) {
            String line = "\uD83D\uDE00".repeat(2000); // 2000 emoji: 8 KB of UTF-8, the longest line there is
            try (WsClient writer = WsClient.connect(server.wsUri(), null)) {
                writer.join("flood", "Writer");
                for (int i = 0; i < 200; i++) {
                    JsonNode reply = writer.call("chat", "text", line);
                    if (reply.path("code").asText().equals("rate_limited")) {
                        Thread.sleep(250);
                        i--;
                    }
                }
            }
            long rssBefore = server.rssBytes();
            long heapBefore = ServerWatch.heapUsed(server);

            ServerWatch samples = new ServerWatch(server);
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            try (WsClient speaker = WsClient.connect(server.wsUri(), null);
                    WsClient listener = WsClient.connect(server.wsUri(), null);
                    RawSocket reader = RawSocket.open("127.0.0.1", server.port)) {
                speaker.join("witness", "Speaker");
                listener.join("witness", "Listener");
                reader.sendText("{\"type\":\"join\",\"id\":\"j\",\"room\":\"flood\",\"nick\":\"Reader\"}");
                long start = System.currentTimeMillis();
                int sent = 0;
                boolean refused = false;
                // 40 history requests a second for 20 seconds, each asking for 200 lines of 8 KB.
                while (System.currentTimeMillis() - start < 20_000) {
                    try {
                        reader.sendText("{\"type\":\"history\",\"id\":\"h" + sent + "\",\"before\":1000000000000000,\"limit\":200}");
                        sent++;
                    } catch (java.io.IOException closed) {
                        refused = true;
                        break;
                    }
                    if (sent % 4 == 0) {
                        long t = System.nanoTime();
                        speaker.ok("chat", "text", "still here " + sent);
                        listener.next("chat");
                        latencies.add((System.nanoTime() - t) / 1_000_000);
                    }
                    Thread.sleep(25);
                }
                boolean dropped = refused || reader.drainUntilClosed(10_000);
                samples.close();
                Collections.sort(latencies);
                System.out.printf("slow reader: %d history requests sent; before: heap %d MB, RSS %d MB; during: peak heap %d MB,"
                        + " peak RSS %d MB; witness chat p50 %d ms, p99 %d ms, max %d ms; /health/live %d of %d answered within 2 s%n",
                        sent, heapBefore >> 20, rssBefore >> 20, samples.peakHeap.get() >> 20, samples.peakRss.get() >> 20,
                        latencies.get(latencies.size() / 2), latencies.get(latencies.size() * 99 / 100),
                        latencies.get(latencies.size() - 1), samples.healthy.get(), samples.polls.get());
                assertTrue(dropped, "the server kept a client that does not read");
                assertEquals(samples.polls.get(), samples.healthy.get(), "/health/live did not always answer");
                assertTrue(samples.peakHeap.get() < 400L << 20, "heap reached " + (samples.peakHeap.get() >> 20) + " MB");
                assertTrue(samples.peakRss.get() < rssBefore + (300L << 20),
                        "RSS grew from " + (rssBefore >> 20) + " to " + (samples.peakRss.get() >> 20) + " MB");
                assertTrue(latencies.get(latencies.size() - 1) < 2000, "a witness's chat line took " + latencies.get(latencies.size() - 1) + " ms");
                // The others' connections were never at risk.
                speaker.ok("ping");
                listener.ok("ping");
            }
        }
    }
}
