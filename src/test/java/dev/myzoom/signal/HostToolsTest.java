package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.ServerExtension;
import dev.myzoom.support.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Raised hands, reactions, and the host's "mute everyone" and "ask to unmute", as clients see them. */
class HostToolsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    static final Map<String, Boolean> MIC_ON = Map.of("audio", true, "video", false, "screen", false);
    static final Map<String, Boolean> MIC_OFF = Map.of("audio", false, "video", false, "screen", false);

    static List<String> pids(JsonNode hands) {
        List<String> out = new ArrayList<>();
        hands.path("pids").forEach(p -> out.add(p.asText()));
        return out;
    }

    @Test
    void handsKeepTheirOrderAndOnlyTheHostLowersSomeoneElses() {
        try (WsClient host = server.connect(); WsClient b = server.connect(); WsClient c = server.connect()) {
            host.join("hands", "Host");
            b.join("hands", "B");
            c.join("hands", "C");
            c.ok("hand", "raised", true);
            b.ok("hand", "raised", true);
            assertEquals(List.of(c.pid), pids(host.next("hands")));
            assertEquals(List.of(c.pid, b.pid), pids(host.next("hands")), "the order they went up");
            assertEquals("not_host", b.call("lowerHand", "pid", c.pid).path("code").asText());
            try (WsClient late = server.connect()) {
                JsonNode ack = late.join("hands", "Late");
                List<String> hands = new ArrayList<>();
                ack.path("hands").forEach(p -> hands.add(p.asText()));
                assertEquals(List.of(c.pid, b.pid), hands, "a newcomer learns the hands from the ack");
            }
            host.ok("lowerHand", "pid", c.pid);
            assertEquals(List.of(b.pid), pids(b.next(m -> "hands".equals(m.path("type").asText()) && m.path("pids").size() == 1)));
            b.ok("hand", "raised", false);
            assertEquals(List.of(), pids(host.next(m -> "hands".equals(m.path("type").asText()) && m.path("pids").isEmpty())));
        }
    }

    @Test
    void reactionsReachTheOthersAreFewAndRateLimited() {
        try (WsClient a = server.connect(); WsClient b = server.connect()) {
            a.join("reactions", "A");
            b.join("reactions", "B");
            a.ok("react", "emoji", "\uD83D\uDC4D");
            JsonNode seen = b.next("reaction");
            assertEquals(a.pid, seen.path("pid").asText());
            assertEquals("\uD83D\uDC4D", seen.path("emoji").asText());
            assertEquals("invalid_reaction", a.call("react", "emoji", "<script>").path("code").asText());
            a.call("react", "emoji", "\uD83C\uDF89");
            a.call("react", "emoji", "\uD83C\uDF89");
            assertEquals("rate_limited", a.call("react", "emoji", "\uD83C\uDF89").path("code").asText(), "three at once, then one a second");
        }
    }

    @Test
    void muteEveryoneWithTheLockHoldsUntilTheHostAsksOrAllows() {
        try (WsClient host = server.connect(); WsClient b = server.connect(); WsClient c = server.connect()) {
            host.ok("join", "room", "mute-all", "nick", "Host", "media", MIC_ON);
            b.ok("join", "room", "mute-all", "nick", "B", "media", MIC_ON);
            c.ok("join", "room", "mute-all", "nick", "C", "media", MIC_ON);
            assertEquals("not_host", b.call("muteAll", "lock", true).path("code").asText());
            host.ok("muteAll", "lock", true);
            assertTrue(b.next("mutedByHost").path("locked").asBoolean());
            assertTrue(c.next("mutedByHost").path("locked").asBoolean());
            assertTrue(b.next("settings").path("micsLocked").asBoolean());
            b.ok("media", "audio", false, "video", false, "screen", false);
            c.ok("media", "audio", false, "video", false, "screen", false);
            assertEquals("mic_locked", b.call("media", "audio", true, "video", false, "screen", false).path("code").asText());

            // A newcomer comes in muted while the lock holds.
            try (WsClient late = server.connect()) {
                JsonNode ack = late.ok("join", "room", "mute-all", "nick", "Late", "media", MIC_ON);
                assertTrue(ack.path("micsLocked").asBoolean(), ack.toString());
                assertTrue(late.next("mutedByHost").path("locked").asBoolean());
            }

            // Asked, B may unmute (and decides to); C still may not.
            host.ok("askToUnmute", "pid", b.pid);
            assertEquals(host.pid, b.next("unmuteRequest").path("by").asText());
            assertTrue(c.drain(Duration.ofMillis(200)).stream().noneMatch(m -> "unmuteRequest".equals(m.path("type").asText())));
            b.ok("media", "audio", true, "video", false, "screen", false);
            assertEquals("mic_locked", c.call("media", "audio", true, "video", false, "screen", false).path("code").asText());

            host.ok("allowUnmute", "allowed", true);
            assertTrue(!c.next("settings").path("micsLocked").asBoolean());
            c.ok("media", "audio", true, "video", false, "screen", false);
        }
    }
}
