package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.ServerExtension;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * What a request may cost the server: binary frames count against the rate limit, a refused
 * frame's error still names its id without a full parse, large replies have a rate and a byte
 * cap of their own, signaling payloads have a size cap, and junk is logged once a minute, not
 * once a frame (findings 1, 5, 13 and 16 of the security audit).
 */
class RequestCostTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension("RATE_LIMIT", "5", "RATE_BURST", "20");

    @Test
    void binaryFramesCountAgainstTheRateLimit() {
        try (WsClient c = server.connect()) {
            for (int i = 0; i < 40; i++) {
                c.sendBinary(new byte[24]);
            }
            c.send(WsClient.request("ping"));
            List<JsonNode> replies = c.drain(Duration.ofMillis(500));
            long limited = replies.stream().filter(m -> m.path("code").asText().equals("rate_limited")).count();
            assertTrue(limited >= 15, "binary frames must use up the bucket; got " + replies);
            assertEquals("rate_limited", replies.get(replies.size() - 1).path("code").asText(),
                    "the ping after them is refused too");
        }
    }

    @Test
    void anErrorNamesTheIdEvenWhenTheRestOfTheFrameCannotBeParsed() {
        try (WsClient c = server.connect()) {
            c.sendRaw("{\"id\":\"deep\",\"type\":\"chat\",\"text\":" + "[".repeat(1500) + "]".repeat(1500) + "}");
            JsonNode error = c.next("error");
            assertEquals("deep", error.path("id").asText(), error.toString());
            c.sendRaw("{\"id\":\"num\",\"type\":\"history\",\"before\":" + "9".repeat(1200) + "}");
            assertEquals("num", c.next("error").path("id").asText());
        }
    }

    @Test
    void signalAndOfferPayloadsAreCappedAtWhatSdpNeeds() {
        try (WsClient a = server.connect(); WsClient b = server.connect()) {
            a.join("sdp-cap", "A");
            b.join("sdp-cap", "B");
            String big = "a".repeat(SignalEndpoint.MAX_SDP_CHARS + 100);
            JsonNode refused = a.call("signal", "to", b.pid, "data", Map.of("description", Map.of("type", "offer", "sdp", big)));
            assertEquals("too_large", refused.get("code").asText());
            a.ok("signal", "to", b.pid, "data", Map.of("description", Map.of("type", "offer", "sdp", "v=0 " + "a".repeat(8000))));
            assertEquals(8004, b.next("signal").at("/data/description/sdp").asText().length());

            try (WsClient c = server.connect()) {
                JsonNode join = c.call("join", "room", "sdp-cap", "nick", "C", "offer",
                        Map.of("description", Map.of("type", "offer", "sdp", big)));
                assertEquals("too_large", join.get("code").asText());
            }
        }
    }

    @Test
    void historyRepliesAreCappedInBytesAndSayWhetherThereIsMore() throws Exception {
        try (TestServer roomy = TestServer.start("RATE_LIMIT", "1000", "RATE_BURST", "1000");
                WsClient writer = WsClient.connect(roomy.wsUri(), null)) {
            writer.join("long-lines", "W");
            String line = "\uD83D\uDE00".repeat(2000);
            long last = 0;
            for (int i = 0; i < 60; i++) {
                last = writer.ok("chat", "text", line).get("msgId").asLong();
            }
            try (WsClient reader = WsClient.connect(roomy.wsUri(), null)) {
                reader.join("long-lines", "R");
                // 50 lines of 8 KB are 400 KB: the newest that fit in 256 KB come with the join.
                int joined = reader.history.get("messages").size();
                assertTrue(joined > 20 && joined < 50, "history on join had " + joined + " lines");
                JsonNode page = reader.ok("history", "before", last + 1, "limit", 200);
                int got = page.get("messages").size();
                assertTrue(got > 20 && got < 60, "a reply had " + got + " lines");
                assertTrue(page.get("more").asBoolean(), "a capped reply must say there is more");
                assertEquals(last, page.get("messages").get(got - 1).get("msgId").asLong(), "the newest lines are kept");
                long oldest = page.get("messages").get(0).get("msgId").asLong();
                JsonNode rest = reader.ok("history", "before", oldest, "limit", 200);
                assertEquals(60 - got, rest.get("messages").size());
                assertFalse(rest.get("more").asBoolean(), "the start of the chat is reached");
            }
        }
    }

    @Test
    void historyAndRoomListRequestsHaveARateOfTheirOwn() {
        try (WsClient c = server.connect()) {
            c.join("heavy", "H");
            int limited = 0;
            for (int i = 0; i < 9; i++) {
                JsonNode reply = c.call(i % 2 == 0 ? "history" : "watchRooms", "before", 1_000_000);
                if (reply.path("code").asText().equals("rate_limited")) {
                    limited++;
                }
            }
            assertTrue(limited >= 2, "9 heavy requests at once must not all pass; " + limited + " refused");
            c.ok("chat", "text", "chat is not heavy");
        }
    }

    @Test
    void aClientSendingJunkIsLoggedOncePerCodeNotOncePerFrame() {
        Logger events = (Logger) LoggerFactory.getLogger("dev.myzoom.events");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        events.addAppender(appender);
        try (WsClient c = server.connect()) {
            for (int i = 0; i < 8; i++) {
                c.sendRaw("{\"type\":\"teleport\",\"id\":\"t" + i + "\"}");
            }
            assertEquals(8, c.drain(Duration.ofMillis(300)).stream().filter(m -> m.path("code").asText().equals("unknown_type")).count());
            long logged = appender.list.stream().filter(e -> e.getFormattedMessage().contains("code=unknown_type")
                    && e.getFormattedMessage().contains(c.pid)).count();
            assertEquals(1, logged);
        } finally {
            events.detachAppender(appender);
        }
    }
}
