package dev.myzoom.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.Missing;
import dev.myzoom.support.SfuServer;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record request as clients see it: who may, who is told, and what the host gets at the end. */
class RecordingProtocolTest {
    @TempDir
    Path dir;

    @Test
    void withoutAMediaServerRecordingIsRefusedWithACode() {
        try (TestServer server = TestServer.start(); WsClient host = server.connect(); WsClient guest = server.connect()) {
            host.join("plain", "Host");
            guest.join("plain", "Guest");
            assertEquals("not_host", guest.call("record", "on", true).path("code").asText());
            assertEquals("recording_unavailable", host.call("record", "on", true).path("code").asText());
            assertEquals("missing_field", host.call("record").path("code").asText());
            assertFalse(server.get("/api/rooms/recording?room=plain").body().contains("\"recording\":true"));
        }
    }

    @Test
    void everyoneIsToldNewcomersTooTheHostGetsTheFileAndAFullDiskIsRefused() throws Exception {
        Tools.find().orElseGet(() -> {
            Missing.skipOrFail("janus-pp-rec or ffmpeg is missing (apt-get install janus-tools ffmpeg)", "recording tests");
            return null;
        });
        try (TestServer server = SfuServer.start("RECORDINGS_DIR", dir.toString());
                WsClient host = server.connect(); WsClient guest = server.connect()) {
            host.join("told", "Host");
            guest.join("told", "Guest");
            // The host's own news comes before the ack; the guest's shows the order: the move, then the recording.
            host.ok("record", "on", true);
            assertEquals("sfu", guest.next("mode").path("mode").asText(), "the room moves to the media server");
            JsonNode news = guest.next("recording");
            assertTrue(news.path("on").asBoolean());
            assertEquals("Host", news.path("by").asText());
            assertTrue(server.get("/api/rooms/recording?room=told").body().contains("\"recording\":true"), "the pre-join screen can ask");
            try (WsClient late = server.connect()) {
                JsonNode ack = late.join("told", "Late");
                assertTrue(ack.path("recording").path("on").asBoolean(), "a newcomer learns it from the ack: " + ack);
            }
            host.ok("record", "on", true);
            Thread.sleep(2000);
            host.ok("record", "on", false);
            JsonNode stopped = guest.next("recording");
            assertFalse(stopped.path("on").asBoolean());
            assertEquals("Host", stopped.path("by").asText());
            // Nobody published: the file is the meeting's length of background and silence.
            JsonNode ready = host.next(m -> "recordingReady".equals(m.path("type").asText()));
            assertTrue(ready.path("url").asText().startsWith("/recordings/"), ready.toString());
            long ms = ready.path("durationMs").asLong();
            assertTrue(ms >= 2000 && ms < 4000, "a file of " + ms + " ms");
            assertTrue(Files.size(dir.resolve(ready.path("recording").asText() + ".mp4")) > 0);
            assertFalse(guest.drain(Duration.ofMillis(300)).stream().anyMatch(m -> m.path("type").asText().startsWith("recordingReady")),
                    "only the host gets the link");
        }
        // The disk fills up while recording: the recording stops by itself, everyone is told
        // why, and the host still gets the file of what was recorded. The floor is set just under
        // what is free now, and a file of the test's own then fills the disk past it.
        long freeMb = Files.getFileStore(dir).getUsableSpace() >> 20;
        try (TestServer server = SfuServer.start("RECORDINGS_DIR", dir.toString(), "RECORDING_MIN_FREE_MB", String.valueOf(freeMb - 64));
                WsClient host = server.connect(); WsClient guest = server.connect()) {
            host.join("filling", "Host");
            guest.join("filling", "Guest");
            host.ok("record", "on", true);
            assertTrue(guest.next("recording").path("on").asBoolean());
            Thread.sleep(1000);
            Path filler = dir.resolve("filler");
            try (var out = Files.newOutputStream(filler)) {
                byte[] block = new byte[1 << 20];
                for (int i = 0; i < 128; i++) {
                    out.write(block);
                }
            }
            try {
                JsonNode stopped = guest.next(m -> "recording".equals(m.path("type").asText()));
                assertFalse(stopped.path("on").asBoolean());
                assertEquals("disk_full", stopped.path("reason").asText(), stopped.toString());
                assertTrue(stopped.path("by").isNull() || stopped.path("by").isMissingNode(), "nobody stopped it: " + stopped);
                JsonNode ready = host.next(m -> "recordingReady".equals(m.path("type").asText()));
                assertTrue(ready.path("url").asText().startsWith("/recordings/"), "what was recorded is kept: " + ready);
            } finally {
                Files.deleteIfExists(filler);
            }
        }
        // Less free than the floor: refused before anything starts.
        try (TestServer server = SfuServer.start("RECORDINGS_DIR", dir.toString(), "RECORDING_MIN_FREE_MB", "10000000");
                WsClient host = server.connect()) {
            host.join("full", "Host");
            assertEquals("disk_full", host.call("record", "on", true).path("code").asText());
        }
    }
}
