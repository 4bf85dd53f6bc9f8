package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.ServerExtension;
import dev.myzoom.support.WsClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A participant whose connection is cut comes back on a new one as itself, and the room never knows. */
class ResumeTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension("RESUME_SECONDS", "3");

    static boolean presence(JsonNode m) {
        String type = m.path("type").asText();
        return type.equals("left") || type.equals("joined");
    }

    @Test
    void aCutConnectionResumesAsTheSameParticipantAndIsSentWhatItMissedWhileTheOthersSeeNothing() {
        try (WsClient ana = server.connect(); WsClient bob = server.connect()) {
            ana.join("resume", "Ana");
            bob.join("resume", "Bob");
            ana.next("joined");
            String token = ana.welcome.path("resume").asText();
            long received = ana.received();
            ana.abort();
            bob.ok("chat", "text", "while you were away");

            try (WsClient back = server.connect()) {
                List<JsonNode> got = back.callCollecting("resume", "token", token, "received", received);
                JsonNode ack = got.get(got.size() - 1);
                assertEquals("ack", ack.path("type").asText(), "resumed: " + got);
                assertEquals(ana.pid, ack.path("pid").asText(), "the same participant, not the new welcome's " + back.pid);
                assertEquals(1, got.size() - 1, "exactly what was missed, before the ack: " + got);
                assertEquals("while you were away", got.get(0).path("text").asText());

                back.ok("chat", "text", "back again");
                JsonNode heard = bob.next("chat");
                assertEquals(ana.pid, heard.path("pid").asText(), "Bob hears Ana as before");
                assertTrue(bob.drain(Duration.ofMillis(500)).stream().noneMatch(ResumeTest::presence), "Bob saw no leave or join");

                // A token works once; the next is in the ack.
                try (WsClient thief = server.connect()) {
                    assertEquals("resume_failed", thief.call("resume", "token", token, "received", 0).path("code").asText());
                }
                // Cut again: the new token resumes, counting from where the replay left off.
                String next = ack.path("resume").asText();
                long count = received + back.received() - 1;
                back.abort();
                bob.ok("chat", "text", "and again");
                try (WsClient third = server.connect()) {
                    List<JsonNode> again = third.callCollecting("resume", "token", next, "received", count);
                    assertEquals(ana.pid, again.get(again.size() - 1).path("pid").asText(), "resumed twice: " + again);
                    assertEquals("and again", again.get(0).path("text").asText());
                    assertEquals(2, again.size(), "only what was missed: " + again);
                }
            }
        }
    }

    @Test
    void withoutAResumeTheParticipantLeavesWhenTheWindowRunsOutAndAGoodbyeLeavesAtOnce() {
        try (WsClient ana = server.connect(); WsClient bob = server.connect(); WsClient cy = server.connect()) {
            ana.join("no-resume", "Ana");
            bob.join("no-resume", "Bob");
            cy.join("no-resume", "Cy");
            bob.drain(Duration.ofMillis(300));
            ana.abort();
            assertTrue(bob.drain(Duration.ofMillis(1500)).stream().noneMatch(ResumeTest::presence), "Ana may still come back");
            JsonNode left = bob.next("left");
            assertEquals(ana.pid, left.path("pid").asText());
            assertEquals("disconnected", left.path("reason").asText());

            // A goodbye (close 1000) ends the participant: Bob hears of it, and its token is dead.
            String token = cy.welcome.path("resume").asText();
            cy.close();
            assertEquals(cy.pid, bob.next("left").path("pid").asText());
            try (WsClient late = server.connect()) {
                assertEquals("resume_failed", late.call("resume", "token", token, "received", 1).path("code").asText());
            }
        }
    }

    @Test
    void aTokenOfAnotherNodeIsRefusedByAServerThatRunsAloneAndThePageJoinsAfresh() {
        try (WsClient page = server.connect()) {
            JsonNode refused = page.call("resume", "token", "0123456789ab.00112233445566778899aabbccddeeff", "received", 3);
            assertEquals("resume_failed", refused.path("code").asText(), "no such node here: " + refused);
            // The connection stays a new one, and joins as usual.
            page.join("after-a-foreign-token", "Ana");
        }
    }

    @Test
    void aPageThatClaimsFramesNeverSentCannotResumeAndOneInARoomCannotResumeAnother() {
        try (WsClient ana = server.connect(); WsClient bob = server.connect()) {
            ana.join("bad-resume", "Ana");
            bob.join("bad-resume", "Bob");
            String token = ana.welcome.path("resume").asText();
            assertEquals("resume_failed", bob.call("resume", "token", token, "received", 1).path("code").asText(),
                    "a connection already in a room");
            ana.abort();
            try (WsClient back = server.connect()) {
                assertEquals("resume_failed", back.call("resume", "token", token, "received", 1_000_000).path("code").asText());
                assertEquals(ana.pid, bob.next("left").path("pid").asText(), "the participant it could not resume leaves");
                back.join("bad-resume", "Ana");
                assertEquals(back.pid, bob.next("joined").path("pid").asText(), "the page joins afresh");
            }
        }
    }
}
