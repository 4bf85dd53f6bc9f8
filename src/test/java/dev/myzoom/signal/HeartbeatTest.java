package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeartbeatTest {

    @Test
    void aPeerThatFallsSilentIsDroppedAndTheRoomIsToldWhileAPingingPeerStays() {
        try (TestServer server = TestServer.start("IDLE_TIMEOUT_SECONDS", "5");
                WsClient silent = server.connect();
                WsClient alive = server.connect()) {
            silent.join("heartbeat", "Silent");
            alive.join("heartbeat", "Alive");

            long start = System.nanoTime();
            JsonNode left = null;
            while (left == null && System.nanoTime() - start < Duration.ofSeconds(15).toNanos()) {
                alive.ok("ping");
                left = alive.drain(Duration.ofSeconds(1)).stream()
                        .filter(m -> m.get("type").asText().equals("left")).findFirst().orElse(null);
            }
            assertTrue(left != null, "the silent peer was never dropped");
            assertEquals(silent.pid, left.get("pid").asText());
            assertEquals(1, left.get("count").asInt());
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertTrue(seconds >= 4, "dropped too early, after " + seconds + " s");
            alive.ok("ping");
        }
    }
}
