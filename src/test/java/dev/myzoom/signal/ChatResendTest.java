package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.ServerExtension;
import dev.myzoom.support.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A chat line sent again with its lineId, as a page does when the ack was lost with the connection. */
class ChatResendTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void aLineSentAgainFromANewConnectionIsStoredAndShownOnceAndAckedWithItsFirstId() {
        try (WsClient bob = server.connect()) {
            JsonNode first;
            try (WsClient ana = server.connect()) {
                ana.join("resend", "Ana");
                bob.join("resend", "Bob");
                first = ana.ok("chat", "text", "only once", "lineId", "ana-line-0001");
                assertEquals("only once", bob.next("chat").path("text").asText());
            }
            // Ana's page comes back on a new connection: the history of the rejoin has the line,
            // and the page, which never got the ack, sends it again.
            try (WsClient again = server.connect()) {
                again.join("resend", "Ana");
                assertEquals(1, again.history.path("messages").size());
                JsonNode ack = again.ok("chat", "text", "only once", "lineId", "ana-line-0001");
                assertEquals(first.path("msgId").asLong(), ack.path("msgId").asLong(), "the first line's id");
                assertEquals(first.path("ts").asLong(), ack.path("ts").asLong(), "and its time");
                JsonNode next = again.ok("chat", "text", "a new line", "lineId", "ana-line-0002");
                assertTrue(next.path("msgId").asLong() > ack.path("msgId").asLong());
                // Bob hears of the new line only: the line sent again was shown the first time.
                JsonNode heard = bob.next("chat");
                assertEquals("a new line", heard.path("text").asText());
                assertEquals("invalid_line_id", again.call("chat", "text", "x", "lineId", "short").path("code").asText());
                assertEquals("invalid_line_id", again.call("chat", "text", "x", "lineId", "has spaces in it").path("code").asText());
                assertTrue(bob.drain(Duration.ofMillis(300)).stream().noneMatch(m -> "chat".equals(m.path("type").asText())));
            }
        }
    }
}
