package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.ServerExtension;
import dev.myzoom.support.WsClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BadInputTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension("MAX_FRAME_BYTES", "4096", "MAX_CHAT_LENGTH", "100",
                "MAX_NICKNAME_LENGTH", "12", "MAX_ROOM_NAME_LENGTH", "20", "RATE_LIMIT", "5", "RATE_BURST", "10",
                "ALLOWED_ORIGINS", "https://partner.example");

    private static void assertStillUp(WsClient client) {
        client.ok("ping");
    }

    @Test
    void malformedJsonGetsAnErrorAndTheConnectionStaysUp() {
        try (WsClient c = server.connect()) {
            c.sendRaw("{\"type\": \"chat\", ");
            JsonNode error = c.next("error");
            assertEquals("bad_json", error.get("code").asText());
            assertFalse(error.get("message").asText().isBlank());
            c.sendRaw("[1,2,3]");
            assertEquals("bad_json", c.next("error").get("code").asText());
            assertStillUp(c);
        }
    }

    @Test
    void unknownTypeGetsAnErrorWithTheRequestId() {
        try (WsClient c = server.connect()) {
            c.sendRaw("{\"type\":\"teleport\",\"id\":\"t1\"}");
            JsonNode error = c.next("error");
            assertEquals("unknown_type", error.get("code").asText());
            assertEquals("t1", error.get("id").asText());
            assertStillUp(c);
        }
    }

    @Test
    void missingOrWronglyTypedFieldsGetAnError() {
        try (WsClient c = server.connect()) {
            c.sendRaw("{\"type\":\"join\",\"id\":\"j1\",\"room\":\"x\"}");
            JsonNode missing = c.next("error");
            assertEquals("missing_field", missing.get("code").asText());
            assertEquals("j1", missing.get("id").asText());
            assertTrue(missing.get("message").asText().contains("nick"));

            c.sendRaw("{\"id\":\"n1\"}");
            assertEquals("missing_field", c.next("error").get("code").asText());

            c.sendRaw("{\"type\":\"join\",\"id\":\"j2\",\"room\":{\"a\":1},\"nick\":\"x\"}");
            assertEquals("bad_json", c.next("error").get("code").asText());
            assertStillUp(c);
        }
    }

    @Test
    void aFrameOverTheSizeLimitClosesTheConnectionWith1009() {
        try (WsClient c = server.connect(); WsClient bystander = server.connect()) {
            c.sendRaw("{\"type\":\"ping\",\"id\":\"" + "x".repeat(5000) + "\"}");
            assertEquals(1009, c.awaitClose());
            assertStillUp(bystander);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "a/b", "<script>", "name?x=1", "much-too-long-room-name-here"})
    void badRoomNamesAreRefused(String room) {
        try (WsClient c = server.connect()) {
            JsonNode reply = c.call("join", "room", room, "nick", "A");
            assertEquals("invalid_room", reply.get("code").asText(), reply.toString());
        }
    }

    @Test
    void roomNamesAreNormalised() {
        try (WsClient c = server.connect()) {
            assertEquals("team-sync", c.join("  Team   Sync ", "A").get("room").asText());
            assertEquals("한국어-방", c.join("한국어 방", "A").get("room").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "    ", "thirteen-char", "tab\there", "zero\u200bwidth", "line\u2028sep", "para\u2029sep"})
    void badNicknamesAreRefused(String nick) {
        try (WsClient c = server.connect()) {
            JsonNode reply = c.call("join", "room", "nicks", "nick", nick);
            assertEquals("invalid_nickname", reply.get("code").asText(), reply.toString());
            c.join("nicks", "ok");
            assertEquals("invalid_nickname", c.call("rename", "nick", nick).get("code").asText());
        }
    }

    @Test
    void chatMessagesHaveALengthLimitAndMustNotBeEmpty() {
        try (WsClient a = server.connect(); WsClient b = server.connect()) {
            a.join("limits", "A");
            b.join("limits", "B");
            assertEquals("message_too_long", a.call("chat", "text", "x".repeat(101)).get("code").asText());
            assertEquals("empty_message", a.call("chat", "text", "  \n ").get("code").asText());
            a.ok("chat", "text", "😀".repeat(100));
            JsonNode line = b.next("chat");
            assertEquals("😀".repeat(100), line.get("text").asText());
        }
    }

    @Test
    void floodingIsAnsweredWithRateLimitErrorsAndOthersAreUnaffected() {
        try (WsClient flooder = server.connect(); WsClient calm = server.connect(); WsClient listener = server.connect()) {
            flooder.join("flood", "F");
            calm.join("flood", "C");
            listener.join("flood", "L");
            int sent = 60;
            for (int i = 0; i < sent; i++) {
                flooder.send(WsClient.request("chat", "text", "spam " + i));
            }
            List<JsonNode> replies = flooder.drain(Duration.ofMillis(700));
            long limited = replies.stream().filter(m -> m.path("code").asText().equals("rate_limited")).count();
            long accepted = replies.stream().filter(m -> m.get("type").asText().equals("ack")).count();
            assertTrue(limited >= sent - 20, "most of the burst must be refused, got " + limited);
            assertTrue(accepted >= 5, "the first messages within the burst must pass, got " + accepted);

            listener.drain(Duration.ofMillis(200));
            calm.ok("chat", "text", "I am not flooding");
            assertEquals("I am not flooding", listener.next(m -> m.get("type").asText().equals("chat")
                    && m.get("pid").asText().equals(calm.pid)).get("text").asText());
        }
    }

    @Test
    void aWebSocketFromAForeignOriginIsRefusedWith403() {
        CompletionException refused = assertThrows(CompletionException.class,
                () -> WsClient.connect(server.wsUri(), "http://evil.example"));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(403, handshake.getResponse().statusCode());

        WsClient.connect(server.wsUri(), "http://localhost:" + server.port()).close();
        WsClient.connect(server.wsUri(), "https://partner.example").close();
    }

    @Test
    void binaryFramesAreRefusedWithAnError() throws Exception {
        try (WsClient c = server.connect()) {
            c.sendBinary(new byte[] {1, 2, 3});
            assertEquals("bad_json", c.next("error").get("code").asText());
            assertStillUp(c);
        }
    }
}
