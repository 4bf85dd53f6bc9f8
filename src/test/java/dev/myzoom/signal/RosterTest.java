package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.ServerExtension;
import dev.myzoom.support.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * In a room of ten or more, comings, goings and media changes reach the others gathered into
 * {@code roster} messages: in order, each once, and never news to its own subject or to someone
 * whose join ack already said it.
 */
class RosterTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension("MAX_MESH_PARTICIPANTS", "30");

    static boolean isType(JsonNode m, String type) {
        return type.equals(m.path("type").asText());
    }

    /** The changes of every roster message in {@code messages}, one after another. */
    static List<JsonNode> changes(List<JsonNode> messages) {
        List<JsonNode> out = new ArrayList<>();
        messages.stream().filter(m -> isType(m, "roster")).forEach(m -> m.path("changes").forEach(out::add));
        return out;
    }

    static List<WsClient> fill(String room, int count) {
        List<WsClient> people = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            WsClient c = server.connect();
            c.join(room, "P" + i);
            people.add(c);
        }
        return people;
    }

    @Test
    void aBigRoomsJoinsComeGatheredInOrderOnceEachAndANewcomerHearsNothingItsAckSaid() {
        List<WsClient> people = fill("big-joins", 9);
        try {
            WsClient first = people.get(0);
            List<JsonNode> before = first.drain(Duration.ofMillis(300));
            assertEquals(8, before.stream().filter(m -> isType(m, "joined")).count(), "under ten, each join comes alone: " + before);
            List<String> newcomers = new ArrayList<>();
            List<JsonNode> acks = new ArrayList<>();
            for (int i = 9; i < 15; i++) {
                WsClient c = server.connect();
                acks.add(c.join("big-joins", "P" + i));
                people.add(c);
                newcomers.add(c.pid);
            }
            List<JsonNode> got = first.drain(Duration.ofMillis(600));
            assertFalse(got.stream().anyMatch(m -> isType(m, "joined")), "from ten on no join comes alone: " + got);
            List<String> joined = changes(got).stream().filter(c -> isType(c, "joined")).map(c -> c.path("pid").asText()).toList();
            assertEquals(newcomers, joined, "every join once, in the order they came");
            long rosters = got.stream().filter(m -> isType(m, "roster")).count();
            System.out.printf("roster: 6 joins in a row reached the first person in %d message(s)%n", rosters);
            assertTrue(rosters < 6, "gathered, not one message per join: " + got);
            assertEquals(15, changes(got).get(5).path("count").asInt(), "each change keeps the head count of its moment");

            // The last comer saw everyone in its ack: it hears of none of them again, nor of itself.
            WsClient last = people.get(14);
            Set<String> inAck = new HashSet<>();
            acks.get(5).path("participants").forEach(p -> inAck.add(p.path("pid").asText()));
            assertEquals(15, inAck.size());
            assertTrue(changes(last.drain(Duration.ofMillis(400))).isEmpty(), "nothing the ack had already said");
        } finally {
            people.forEach(WsClient::close);
        }
    }

    @Test
    void mediaChangesFoldIntoTheLastStateAndWhatFollowsComesAfterTheNews() {
        List<WsClient> people = fill("big-media", 12);
        try {
            WsClient watcher = people.get(0);
            WsClient toggler = people.get(5);
            watcher.drain(Duration.ofMillis(400));
            for (int i = 0; i < 20; i++) {
                boolean on = i % 2 == 0;
                toggler.ok("media", "audio", on, "video", on, "screen", false);
            }
            List<JsonNode> media = changes(watcher.drain(Duration.ofMillis(600))).stream().filter(c -> isType(c, "media")).toList();
            System.out.printf("roster: 20 media changes in a row reached another person as %d%n", media.size());
            assertTrue(!media.isEmpty() && media.size() < 20, "folded, not one per change: " + media);
            JsonNode lastSeen = media.get(media.size() - 1);
            assertEquals(toggler.pid, lastSeen.path("pid").asText());
            assertFalse(lastSeen.path("audio").asBoolean(), "the last state (the 20th change turned the microphone off)");

            // A newcomer raises a hand at once: the others hear of the newcomer before the hand.
            WsClient late = server.connect();
            people.add(late);
            late.join("big-media", "Late");
            late.ok("hand", "raised", true);
            List<JsonNode> got = watcher.drain(Duration.ofMillis(600));
            int news = -1;
            int hand = -1;
            for (int i = 0; i < got.size(); i++) {
                if (isType(got.get(i), "roster") && news < 0) {
                    news = i;
                }
                if (isType(got.get(i), "hands")) {
                    hand = i;
                }
            }
            assertTrue(news >= 0 && hand > news, "the join's news, then the hand: " + got);

            // Leaving is news too.
            late.close();
            JsonNode left = watcher.next(m -> isType(m, "roster")).path("changes").get(0);
            assertEquals("left", left.path("type").asText());
            assertEquals(late.pid, left.path("pid").asText());
        } finally {
            people.forEach(WsClient::close);
        }
    }
}
