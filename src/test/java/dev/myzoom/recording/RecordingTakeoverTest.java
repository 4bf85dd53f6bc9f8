package dev.myzoom.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.Janus;
import dev.myzoom.support.Missing;
import dev.myzoom.support.Postgres;
import dev.myzoom.support.Redis;
import dev.myzoom.support.ServerProcess;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording outlives the node that started it. Janus records on whatever happens to the
 * signaling; when the room's node dies, the node that takes the room over takes the recording
 * over too: the room still shows it, the host can stop it there, and the file is made there,
 * from the first second.
 */
class RecordingTakeoverTest {
    @TempDir
    Path dir;

    @Test
    void whenTheRoomsNodeDiesMidRecordingTheNodeThatTakesTheRoomOverStopsItAndMakesTheFile() throws Exception {
        Tools.find().orElseGet(() -> {
            Missing.skipOrFail("janus-pp-rec or ffmpeg is missing (apt-get install janus-tools ffmpeg)", "recording tests");
            return null;
        });
        String secret = "takeover-api-secret";
        String key = "takeover-admin-key";
        try (Redis redis = Redis.start(); Postgres pg = Postgres.any(); Janus janus = Janus.start(60, secret, key)) {
            // The nodes share what a cluster shares: Redis, the database and the recordings folder.
            Map<String, String> settings = new HashMap<>(Map.of("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET,
                    "NODE_TIMEOUT_SECONDS", "3", "JANUS_URLS", janus.url().toString(), "JANUS_API_SECRET", secret,
                    "JANUS_ADMIN_KEY", key, "DATABASE_URL", pg.url(), "DATABASE_USER", pg.user(), "RECORDINGS_DIR", dir.toString()));
            try (ServerProcess two = ServerProcess.start(settings);
                    TestServer one = TestServer.start(settings);
                    WsClient opener = WsClient.connect(two.wsUri(), null); WsClient ana = one.connect(); WsClient cy = one.connect()) {
                // The room lives on node two, where its first person came; Ana, on node one, hosts it.
                opener.join("taped", "Opener");
                ana.join("taped", "Ana");
                cy.join("taped", "Cy");
                opener.ok("leave");
                ana.next(m -> "host".equals(m.path("type").asText()));
                long startedAt = System.currentTimeMillis();
                ana.ok("record", "on", true);
                assertTrue(cy.next("recording").path("on").asBoolean(), "the room is recorded, by node two");

                Thread.sleep(1000);
                two.kill();
                JsonNode rehomed = ana.next(m -> "rehomed".equals(m.path("type").asText()));
                assertEquals(ana.pid, rehomed.path("host").asText(), "Ana still hosts it, on node one now: " + rehomed);
                try (WsClient late = one.connect()) {
                    JsonNode ack = late.join("taped", "Late");
                    assertTrue(ack.path("recording").path("on").asBoolean(), "the taken-over room is still recorded: " + ack);
                    assertEquals("Ana", ack.path("recording").path("by").asText());
                }
                Thread.sleep(1000);
                ana.ok("record", "on", false);
                JsonNode stopped = cy.next("recording");
                assertFalse(stopped.path("on").asBoolean(), "stopped on node one: " + stopped);
                long recordedMs = System.currentTimeMillis() - startedAt;
                JsonNode ready = ana.next(m -> "recordingReady".equals(m.path("type").asText()));
                long ms = ready.path("durationMs").asLong();
                System.out.printf("a recording across its node's death: %d ms recorded, a file of %d ms made by the node that took over%n",
                        recordedMs, ms);
                assertTrue(ms >= recordedMs - 2000 && ms <= recordedMs + 2000,
                        "the file covers the whole recording, from before the node died: " + ms + " ms of " + recordedMs);
                assertTrue(Files.size(dir.resolve(ready.path("recording").asText() + ".mp4")) > 0);
            }
        }
    }
}
