package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.ServerExtension;
import dev.myzoom.support.WsClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChatProtocolTest {
    @RegisterExtension
    // A cut connection waits this long for its page to resume before the room hears it left (ResumeTest).
    static final ServerExtension server = new ServerExtension("RESUME_SECONDS", "1");

    @Test
    void welcomeGivesEachConnectionItsOwnParticipantId() {
        try (WsClient a = server.connect(); WsClient b = server.connect()) {
            assertFalse(a.pid.isBlank());
            assertFalse(a.pid.equals(b.pid));
        }
    }

    @Test
    void joinReplyListsWhoIsThereAndOthersSeeTheNewcomerWithTheCount() {
        try (WsClient ana = server.connect(); WsClient bo = server.connect()) {
            JsonNode first = ana.join("standup", "Ana");
            assertEquals("standup", first.get("room").asText());
            assertEquals(ana.pid, first.get("you").get("pid").asText());
            assertEquals("Ana", first.get("you").get("nick").asText());
            assertEquals(1, first.get("count").asInt());

            JsonNode second = bo.join("standup", "Bo");
            assertEquals(2, second.get("count").asInt());
            assertEquals(List.of("Ana", "Bo"), second.get("participants").findValuesAsText("nick"));

            JsonNode joined = ana.next("joined");
            assertEquals(bo.pid, joined.get("pid").asText());
            assertEquals("Bo", joined.get("nick").asText());
            assertEquals(2, joined.get("count").asInt());
        }
    }

    @Test
    void chatReachesEveryoneButTheSenderWhoGetsAnAckWithIdAndServerTime() {
        try (WsClient a = server.connect(); WsClient b = server.connect(); WsClient c = server.connect()) {
            a.join("fanout", "A");
            b.join("fanout", "B");
            c.join("fanout", "C");
            a.drain(Duration.ofMillis(200));
            long before = System.currentTimeMillis();

            JsonNode ack = a.ok("chat", "text", "hello all");
            assertTrue(ack.get("msgId").asLong() > 0);
            assertTrue(ack.get("ts").asLong() >= before - 1000);

            for (WsClient other : List.of(b, c)) {
                JsonNode line = other.next("chat");
                assertEquals("hello all", line.get("text").asText());
                assertEquals("A", line.get("nick").asText());
                assertEquals(a.pid, line.get("pid").asText());
                assertEquals(ack.get("msgId").asLong(), line.get("msgId").asLong());
                assertEquals(ack.get("ts").asLong(), line.get("ts").asLong());
            }
            List<JsonNode> echoed = a.drain(Duration.ofMillis(300));
            assertTrue(echoed.stream().noneMatch(m -> m.get("type").asText().equals("chat")),
                    "the sender must not get its own message back: " + echoed);
        }
    }

    @Test
    void renameIsAnnouncedWithTheCountAndDuplicateNicknamesAreMadeDistinct() {
        try (WsClient a = server.connect(); WsClient b = server.connect()) {
            a.join("names", "Sam");
            JsonNode second = b.join("names", "sam");
            assertEquals("sam (2)", second.get("you").get("nick").asText());

            JsonNode renamed = b.ok("rename", "nick", "  Robin   Hood ");
            assertEquals("Robin Hood", renamed.get("nick").asText());
            JsonNode event = a.next("renamed");
            assertEquals(b.pid, event.get("pid").asText());
            assertEquals("sam (2)", event.get("oldNick").asText());
            assertEquals("Robin Hood", event.get("nick").asText());
            assertEquals(2, event.get("count").asInt());

            assertEquals("Sam (2)", b.ok("rename", "nick", "Sam").get("nick").asText());
            b.ok("chat", "text", "hi");
            assertEquals("Sam (2)", a.next("chat").get("nick").asText());
        }
    }

    @Test
    void leavingAndDisconnectingAreAnnouncedWithTheRemainingCount() {
        try (WsClient a = server.connect(); WsClient b = server.connect(); WsClient c = server.connect()) {
            a.join("exits", "A");
            b.join("exits", "B");
            c.join("exits", "C");

            b.ok("leave");
            JsonNode left = a.next("left");
            assertEquals(b.pid, left.get("pid").asText());
            assertEquals("B", left.get("nick").asText());
            assertEquals(2, left.get("count").asInt());

            c.abort();
            JsonNode gone = a.next(m -> m.get("type").asText().equals("left") && m.get("pid").asText().equals(c.pid));
            assertEquals(1, gone.get("count").asInt());

            JsonNode chatAfterLeave = b.call("chat", "text", "anyone?");
            assertEquals("not_in_room", chatAfterLeave.get("code").asText());
        }
    }

    @Test
    void twoRoomsAreKeptApart() {
        try (WsClient a = server.connect(); WsClient b = server.connect(); WsClient x = server.connect()) {
            a.join("apart-1", "A");
            x.join("apart-2", "X");
            b.join("apart-1", "B");
            a.ok("chat", "text", "only for room 1");
            assertEquals("only for room 1", b.next("chat").get("text").asText());
            List<JsonNode> leaked = x.drain(Duration.ofMillis(400));
            assertTrue(leaked.isEmpty(), "room 2 must hear nothing of room 1: " + leaked);
        }
    }

    @Test
    void joiningAnotherRoomLeavesTheFirst() {
        try (WsClient a = server.connect(); WsClient b = server.connect()) {
            a.join("first", "A");
            b.join("first", "B");
            b.join("second", "B");
            JsonNode left = a.next("left");
            assertEquals(1, left.get("count").asInt());
            a.ok("chat", "text", "still here?");
            assertTrue(b.drain(Duration.ofMillis(300)).stream().noneMatch(m -> m.get("type").asText().equals("chat")));
        }
    }

    @Test
    void koreanRoomNamesAndNicknamesWork() {
        try (WsClient a = server.connect(); WsClient b = server.connect()) {
            JsonNode ack = a.join("회의실", "민수");
            assertEquals("회의실", ack.get("room").asText());
            b.join("회의실", "지영");
            a.ok("chat", "text", "안녕하세요 👋");
            JsonNode line = b.next("chat");
            assertEquals("안녕하세요 👋", line.get("text").asText());
            assertEquals("민수", line.get("nick").asText());
        }
    }

    @Test
    void peopleJoiningAtTheSameMomentAlwaysEndUpSeeingEachOther() {
        for (int round = 0; round < 30; round++) {
            try (WsClient a = server.connect(); WsClient b = server.connect()) {
                String room = "race-" + round;
                a.send(WsClient.request("join", "room", room, "nick", "A"));
                b.send(WsClient.request("join", "room", room, "nick", "B"));
                for (WsClient self : List.of(a, b)) {
                    String other = self == a ? b.pid : a.pid;
                    JsonNode ack = self.next("ack");
                    boolean inAck = ack.get("participants").findValuesAsText("pid").contains(other);
                    // Whoever came second lists the first in its ack; whoever came first hears of
                    // the second afterwards, never before its own ack.
                    if (!inAck) {
                        assertEquals(other, self.next("joined").get("pid").asText());
                    }
                }
            }
        }
    }

    @Test
    void pingIsAcknowledged() {
        try (WsClient a = server.connect()) {
            a.ok("ping");
        }
    }
}
