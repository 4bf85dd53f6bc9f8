package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.Config;
import dev.myzoom.support.ServerExtension;
import dev.myzoom.support.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server's part of a call: relaying signaling inside a room, media state, the cap and ICE settings. */
class MeshSignalingTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension("MAX_MESH_PARTICIPANTS", "3",
                "STUN_URLS", "stun:stun1.example.com:3478, stun:stun2.example.com", "VIDEO_MAX_HEIGHT", "360");

    static final Map<String, Object> OFFER = Map.of("description", Map.of("type", "offer", "sdp", "v=0\r\n..."));

    @Test
    void signalingReachesTheAddresseeOnlyWithTheSenderNamed() {
        try (WsClient a = server.connect(); WsClient b = server.connect(); WsClient c = server.connect()) {
            a.join("relay", "A");
            b.join("relay", "B");
            c.join("relay", "C");
            c.drain(Duration.ofMillis(200));

            a.ok("signal", "to", b.pid, "data", OFFER);
            JsonNode got = b.next("signal");
            assertEquals(a.pid, got.get("from").asText());
            assertEquals("offer", got.get("data").get("description").get("type").asText());
            assertEquals("v=0\r\n...", got.get("data").get("description").get("sdp").asText());

            b.ok("signal", "to", a.pid, "data", Map.of("candidate", Map.of("candidate", "candidate:1 1 udp 1 127.0.0.1 5000 typ host", "sdpMid", "0")));
            assertEquals("127.0.0.1", a.next("signal").get("data").get("candidate").get("candidate").asText().split(" ")[4]);
            assertTrue(c.drain(Duration.ofMillis(300)).isEmpty(), "a third participant must not see others' signaling");
        }
    }

    @Test
    void anOfferSentWithTheJoinRidesInTheJoinedEventOfWhoeverHasBeenThereLongest() {
        try (WsClient a = server.connect(); WsClient b = server.connect(); WsClient c = server.connect();
                WsClient alone = server.connect()) {
            JsonNode first = alone.ok("join", "room", "offer-empty", "nick", "Alone", "offer", OFFER);
            assertFalse(first.has("offeredTo"), "nobody to offer to in an empty room: " + first);
            assertEquals("bad_json", alone.call("join", "room", "offer-empty", "nick", "Alone", "offer", "v=0").get("code").asText());

            a.join("offer-first", "A");
            b.join("offer-first", "B");
            a.next("joined");
            JsonNode ack = c.ok("join", "room", "offer-first", "nick", "C", "offer", OFFER);
            assertEquals(a.pid, ack.get("offeredTo").asText());
            JsonNode joined = a.next("joined");
            assertEquals(c.pid, joined.get("pid").asText());
            assertEquals("C", joined.get("nick").asText());
            assertEquals("v=0\r\n...", joined.get("offer").get("description").get("sdp").asText());
            List<JsonNode> toB = b.drain(Duration.ofMillis(300));
            JsonNode bHeard = toB.stream().filter(m -> m.get("type").asText().equals("joined")).findFirst().orElseThrow();
            assertEquals(c.pid, bHeard.get("pid").asText());
            assertFalse(bHeard.has("offer"), "only the one named in offeredTo gets the offer: " + bHeard);
            assertTrue(toB.stream().noneMatch(m -> m.get("type").asText().equals("signal")), "and no signal: " + toB);
            assertTrue(a.drain(Duration.ofMillis(300)).stream().noneMatch(m -> m.get("type").asText().equals("signal")),
                    "the offer comes once, in joined");
        }
    }

    @Test
    void signalingToSomeoneInAnotherRoomOrToAStrangerIsRefused() {
        try (WsClient a = server.connect(); WsClient other = server.connect(); WsClient lobby = server.connect()) {
            a.join("mine", "A");
            other.join("theirs", "O");
            JsonNode otherRoom = a.call("signal", "to", other.pid, "data", OFFER);
            assertEquals("unknown_peer", otherRoom.get("code").asText());
            assertEquals("unknown_peer", a.call("signal", "to", "0000000000000000", "data", OFFER).get("code").asText());
            assertEquals("unknown_peer", a.call("signal", "to", a.pid, "data", OFFER).get("code").asText());
            assertEquals("not_in_room", lobby.call("signal", "to", a.pid, "data", OFFER).get("code").asText());
            assertEquals("bad_json", a.call("signal", "to", other.pid, "data", "not an object").get("code").asText());
            assertTrue(other.drain(Duration.ofMillis(300)).stream().noneMatch(m -> m.get("type").asText().equals("signal")));
        }
    }

    @Test
    void mediaStateIsInTheJoinReplyTheJoinedEventAndEveryChange() {
        try (WsClient a = server.connect(); WsClient b = server.connect()) {
            a.ok("join", "room", "media", "nick", "A", "media", Map.of("audio", true, "video", false, "screen", false));
            JsonNode ack = b.ok("join", "room", "media", "nick", "B", "media", Map.of("audio", true, "video", true, "screen", false));
            JsonNode first = ack.get("participants").get(0);
            assertTrue(first.get("media").get("audio").asBoolean());
            assertFalse(first.get("media").get("video").asBoolean());
            JsonNode joined = a.next("joined");
            assertTrue(joined.get("media").get("video").asBoolean());

            b.ok("media", "audio", false, "video", true, "screen", true);
            JsonNode changed = a.next("media");
            assertEquals(b.pid, changed.get("pid").asText());
            assertFalse(changed.get("audio").asBoolean());
            assertTrue(changed.get("screen").asBoolean());
            assertEquals("missing_field", b.call("media", "audio", true).get("code").asText());
        }
    }

    @Test
    void theJoinReplyCarriesIceServersAndTheWelcomeTheLimitsFromTheSettings() {
        try (WsClient a = server.connect()) {
            assertEquals(360, a.welcome.get("limits").get("maxVideoHeight").asInt());
            assertEquals(3, a.welcome.get("limits").get("maxParticipants").asInt());
            JsonNode call = a.join("ice", "A").get("call");
            JsonNode urls = call.get("iceServers").get(0).get("urls");
            assertEquals(List.of("stun:stun1.example.com:3478", "stun:stun2.example.com"),
                    List.of(urls.get(0).asText(), urls.get(1).asText()));
            assertEquals(2, urls.size());
            assertEquals("all", call.get("iceTransportPolicy").asText());
        }
    }

    @Test
    void whoeverWouldExceedTheCapIsToldTheRoomIsFullAndStaysWhereTheyWere() {
        try (WsClient a = server.connect(); WsClient b = server.connect(); WsClient c = server.connect();
                WsClient d = server.connect()) {
            a.join("capped", "A");
            b.join("capped", "B");
            c.join("capped", "C");
            d.join("elsewhere", "D");
            JsonNode full = d.call("join", "room", "capped", "nick", "D");
            assertEquals("room_full", full.get("code").asText());
            d.ok("chat", "text", "still in my old room");

            c.ok("leave");
            assertEquals(3, d.join("capped", "D").get("count").asInt());
        }
    }

    @Test
    void badStunUrlsStopStartUp() {
        Config.Invalid bad = assertThrows(Config.Invalid.class,
                () -> Config.from(Map.of("STUN_URLS", "http://stun.example.com")::get));
        assertTrue(bad.getMessage().startsWith("Invalid setting STUN_URLS="));
    }
}
