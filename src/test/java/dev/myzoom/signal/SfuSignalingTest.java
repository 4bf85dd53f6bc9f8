package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.Janus;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's side of SFU calls as a client sees it, without a browser: when a room moves and
 * back, what the acks say, the errors for bad SDP and for reaching into another room, the larger
 * frame limit for SFU answers only, and the mesh cap when no Janus answers. Against the server's
 * own Janus (a real one), or none.
 */
class SfuSignalingTest {
    static final String SDP_WITHOUT_ICE = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendonly\r\na=rtpmap:111 opus/48000/2\r\n";

    TestServer server;

    @BeforeEach
    void janus() {
        Janus.libraries();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    void serve(String... settings) {
        List<String> all = new java.util.ArrayList<>(List.of("JANUS_LOCAL", "true", "JANUS_RTP_PORTS", "32000-32099"));
        all.addAll(List.of(settings));
        server = TestServer.start(all.toArray(String[]::new));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!server.get("/health/ready").body().contains("\"janus\":\"up\"")) {
            assertTrue(System.nanoTime() < deadline, "the server's own Janus came up");
            sleep(50);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theThirdJoinMovesTheRoomToTheSfuAndDownToTwoItMovesBack() {
        serve("SFU_FROM", "3");
        try (WsClient a = server.connect(); WsClient b = server.connect(); WsClient c = server.connect()) {
            assertEquals(50, a.welcome.path("limits").path("maxParticipants").asInt(), "with a Janus the cap is MAX_PARTICIPANTS");
            assertTrue(a.welcome.path("call").path("sfu").asBoolean(), a.welcome.toString());
            assertEquals("mesh", a.join("moves", "A").path("call").path("mode").asText());
            assertEquals("mesh", b.join("moves", "B").path("call").path("mode").asText());
            JsonNode third = c.join("moves", "C");
            assertEquals("sfu", third.path("call").path("mode").asText());
            assertEquals("sfu", a.next("mode").path("mode").asText());
            assertEquals("sfu", b.next("mode").path("mode").asText());
            c.ok("leave");
            long left = System.nanoTime();
            assertEquals("mesh", a.next(m -> "mode".equals(m.path("type").asText())
                    || (System.nanoTime() - left) > 9_000_000_000L).path("mode").asText());
            long waited = (System.nanoTime() - left) / 1_000_000;
            assertTrue(waited >= 4_000, "the room went back after " + waited + " ms; it should wait about 5 s");
            assertEquals("mesh", b.next("mode").path("mode").asText());
        }
    }

    @Test
    void badSdpAndReachingIntoAnotherRoomGetCodedErrorsAndDisturbNobody() {
        serve("SFU_FROM", "1");
        try (WsClient a = server.connect(); WsClient b = server.connect(); WsClient stranger = server.connect()) {
            a.join("sdp", "A");
            b.join("sdp", "B");
            stranger.join("elsewhere", "S");
            a.drain(Duration.ofMillis(200));

            JsonNode noSdp = b.call("publish", "pc", "camera", "offer", Map.of("type", "offer", "sdp", "hello"));
            assertEquals("bad_sdp", noSdp.path("code").asText(), noSdp.toString());
            JsonNode videoFirst = b.call("publish", "pc", "camera", "offer", Map.of("type", "offer",
                    "sdp", SDP_WITHOUT_ICE.replace("m=audio", "m=video")));
            assertEquals("bad_sdp", videoFirst.path("code").asText(), videoFirst.toString());
            JsonNode refused = b.call("publish", "pc", "camera", "offer", Map.of("type", "offer", "sdp", SDP_WITHOUT_ICE));
            assertEquals("bad_sdp", refused.path("code").asText(), "Janus's refusal is passed on as bad_sdp: " + refused);
            assertEquals("bad_sdp", b.call("subscriptionAnswer", "answer", Map.of("type", "answer", "sdp", "v=0\r\n"))
                    .path("code").asText(), "an answer with no offer waiting");

            JsonNode reach = stranger.call("view", "tiles", List.of(Map.of("pid", a.pid, "height", 360)));
            assertEquals("unknown_peer", reach.path("code").asText(), reach.toString());
            assertEquals("bad_json", stranger.call("publish", "pc", "microwave", "offer", Map.of("type", "offer", "sdp", "v=0"))
                    .path("code").asText());
            assertTrue(a.drain(Duration.ofMillis(500)).isEmpty(), "the others heard nothing of it");
            // And the room still works.
            b.ok("chat", "text", "still here");
            assertEquals("still here", a.next("chat").path("text").asText());
        }
    }

    @Test
    void onlyAConnectionInTheSfuMaySendAnAnswerLargerThanMaxFrameBytes() {
        serve("SFU_FROM", "1", "MAX_FRAME_BYTES", "65536");
        String big = "v=0\r\n" + "a=x-padding:" + "x".repeat(100_000) + "\r\n";
        try (WsClient inSfu = server.connect(); WsClient other = server.connect(); WsClient chatty = server.connect()) {
            inSfu.join("frames", "In");
            // Its first SFU request gives the connection the room for an SFU answer.
            inSfu.ok("leaveSfu");
            assertEquals("not_in_room", other.call("view", "tiles", List.of()).path("code").asText());
            inSfu.ok("view", "tiles", List.of());
            JsonNode answer = inSfu.call("subscriptionAnswer", "answer", Map.of("type", "answer", "sdp", big));
            assertEquals("bad_sdp", answer.path("code").asText(), "read and answered, not cut off: " + answer);
            // Anything else that large still closes the connection.
            sendWhileItCloses(inSfu, WsClient.request("chat", "text", big).toString());
            assertEquals(1009, inSfu.awaitClose());
            // And a connection outside the SFU never gets past MAX_FRAME_BYTES.
            // Just over the limit, so that the whole frame is on its way before Jetty closes: a
            // client still writing when the close comes sees an abnormal close (1006) instead.
            chatty.join("frames", "Chatty");
            String justOver = "v=0\r\n" + "a=x-padding:" + "x".repeat(65_600) + "\r\n";
            sendWhileItCloses(chatty, WsClient.request("subscriptionAnswer", "answer", Map.of("type", "answer", "sdp", justOver)).toString());
            assertEquals(1009, chatty.awaitClose());
        }
    }

    /** Sends a frame the server may refuse before it has all of it: then the send fails, as it should. */
    static void sendWhileItCloses(WsClient client, String frame) {
        try {
            client.sendRaw(frame);
        } catch (java.util.concurrent.CompletionException closedMidway) {
            // the server closed the connection while the frame was still on its way
        }
    }

    @Test
    void withoutAReachableJanusRoomsKeepTheMeshCapAndSaySo() {
        server = TestServer.start("JANUS_URLS", "ws://127.0.0.1:" + TestServer.freePort(), "JANUS_API_SECRET", "not-there",
                "MAX_MESH_PARTICIPANTS", "2", "SFU_FROM", "2");
        try (WsClient a = server.connect(); WsClient b = server.connect(); WsClient c = server.connect()) {
            assertFalse(a.welcome.path("call").path("sfu").asBoolean(true), a.welcome.toString());
            assertEquals(2, a.welcome.path("limits").path("maxParticipants").asInt());
            assertEquals("mesh", a.join("no-janus", "A").path("call").path("mode").asText());
            assertEquals("mesh", b.join("no-janus", "B").path("call").path("mode").asText());
            JsonNode full = c.call("join", "room", "no-janus", "nick", "C");
            assertEquals("room_full", full.path("code").asText());
            assertTrue(full.path("message").asText().contains("media server"), full.toString());
            assertEquals("media_unavailable", a.call("publish", "pc", "camera", "offer", Map.of("type", "offer",
                    "sdp", SDP_WITHOUT_ICE)).path("code").asText());
        }
    }
}
