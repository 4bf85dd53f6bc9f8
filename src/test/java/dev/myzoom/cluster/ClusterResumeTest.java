package dev.myzoom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.protocol.CloseCodes;
import dev.myzoom.support.Redis;
import dev.myzoom.support.ServerProcess;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A page that comes back to another node than the one holding its participant, as it does behind
 * a load balancer without sticky sessions: it resumes all the same, as the same pid, and the room
 * never knows. The participant stays on its node; the new node carries its frames (ResumeRelay).
 */
class ClusterResumeTest {
    private static final int NODE_TIMEOUT_SECONDS = 3;
    private Redis redis;
    private String database;

    @BeforeEach
    void startRedis() {
        redis = Redis.start();
        database = "jdbc:h2:mem:cluster-resume-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    private Map<String, String> settings() {
        return Map.of("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET,
                "NODE_TIMEOUT_SECONDS", String.valueOf(NODE_TIMEOUT_SECONDS), "RESUME_SECONDS", "20", "DATABASE_URL", database);
    }

    private TestServer node() {
        return TestServer.start(settings());
    }

    private static boolean presence(JsonNode m) {
        String type = m.path("type").asText();
        return type.equals("left") || type.equals("joined") || type.equals("rehomed");
    }

    @Test
    void aPageThatResumesOnTheOtherNodeIsTheSameParticipantAndCanComeBackAgain() {
        try (TestServer one = node(); TestServer two = node(); WsClient ana = one.connect(); WsClient bob = one.connect()) {
            ana.join("roam", "Ana");
            bob.join("roam", "Bob");
            ana.next("joined");
            String token = ana.welcome.path("resume").asText();
            long received = ana.received();
            ana.abort();
            bob.ok("chat", "text", "while you were away");

            try (WsClient back = two.connect()) {
                List<JsonNode> got = back.callCollecting("resume", "token", token, "received", received);
                JsonNode ack = got.get(got.size() - 1);
                assertEquals("ack", ack.path("type").asText(), "resumed on node two: " + got);
                assertEquals(ana.pid, ack.path("pid").asText(), "the same participant, not node two's " + back.pid);
                assertEquals(List.of("while you were away"), got.subList(0, got.size() - 1).stream()
                        .map(m -> m.path("text").asText()).toList(), "exactly what was missed, before the ack");

                // Both ways, through node two: what she says, and what is said to her.
                back.ok("chat", "text", "from the other node");
                assertEquals(ana.pid, bob.next("chat").path("pid").asText(), "Bob hears Ana as before");
                bob.ok("chat", "text", "welcome back");
                assertEquals("welcome back", back.next("chat").path("text").asText());
                back.ok("ping");
                assertEquals("resume_failed", back.call("resume", "token", token, "received", 0).path("code").asText(),
                        "a resume on a socket that already carries a participant");
                assertTrue(bob.drain(Duration.ofMillis(500)).stream().noneMatch(ClusterResumeTest::presence),
                        "Bob saw no leave or join");

                // She comes back to node one while node two's socket is still open: that one is
                // closed as resumed elsewhere, and she is herself on node one again.
                String next = ack.path("resume").asText();
                back.drain(Duration.ofMillis(300));
                long count = received + back.received() - 1;
                try (WsClient home = one.connect()) {
                    List<JsonNode> again = home.callCollecting("resume", "token", next, "received", count);
                    assertEquals(ana.pid, again.get(again.size() - 1).path("pid").asText(), "resumed at home: " + again);
                    assertEquals(1, again.size(), "nothing was missed: " + again);
                    assertEquals(CloseCodes.RESUMED, back.awaitClose(), "node two's socket is let go");
                    home.ok("chat", "text", "home again");
                    assertEquals("home again", bob.next("chat").path("text").asText());
                    assertTrue(bob.drain(Duration.ofMillis(500)).stream().noneMatch(ClusterResumeTest::presence),
                            "Bob still saw no leave or join");
                }
            }
        }
    }

    @Test
    void whenTheNodeCarryingThePageDiesItsParticipantWaitsAndThePageResumesAgain() throws Exception {
        try (TestServer one = node(); ServerProcess two = ServerProcess.start(settings());
                WsClient ana = one.connect(); WsClient bob = one.connect()) {
            ana.join("fragile", "Ana");
            bob.join("fragile", "Bob");
            ana.next("joined");
            String token = ana.welcome.path("resume").asText();
            long received = ana.received();
            ana.abort();
            WsClient back = WsClient.connect(two.wsUri(), null);
            List<JsonNode> got = back.callCollecting("resume", "token", token, "received", received);
            JsonNode ack = got.get(got.size() - 1);
            assertEquals(ana.pid, ack.path("pid").asText(), "resumed through the node about to die: " + got);
            back.drain(Duration.ofMillis(300));
            long count = received + back.received() - 1;

            // Node two, which carried her page, is killed: to her participant it is a cut socket.
            two.kill();
            back.abort();
            bob.ok("chat", "text", "said while node two died");
            Thread.sleep(NODE_TIMEOUT_SECONDS * 1000L + 1500);
            assertTrue(bob.drain(Duration.ofMillis(300)).stream().noneMatch(ClusterResumeTest::presence),
                    "Ana is still in the room, waiting for her page");
            try (WsClient home = one.connect()) {
                List<JsonNode> again = home.callCollecting("resume", "token", ack.path("resume").asText(), "received", count);
                assertEquals(ana.pid, again.get(again.size() - 1).path("pid").asText(), "resumed on node one: " + again);
                assertEquals("said while node two died", again.get(0).path("text").asText());
            }
        }
    }

    @Test
    void aPageWhoseParticipantsNodeDiesIsToldToJoinAfreshAndAnUnknownTokenIsRefusedThere() throws Exception {
        try (TestServer two = node(); ServerProcess one = ServerProcess.start(settings());
                WsClient ana = WsClient.connect(one.wsUri(), null); WsClient cy = two.connect()) {
            ana.join("orphan", "Ana");
            String token = ana.welcome.path("resume").asText();
            long received = ana.received();
            ana.abort();
            WsClient back = two.connect();
            List<JsonNode> got = back.callCollecting("resume", "token", token, "received", received);
            assertEquals(ana.pid, got.get(got.size() - 1).path("pid").asText(), "resumed through node two: " + got);

            // A token of node one that node one never gave: refused there, and the page joins on node two.
            String forged = token.substring(0, token.lastIndexOf('.') + 1) + "00112233445566778899aabbccddeeff";
            JsonNode refused = cy.call("resume", "token", forged, "received", 1);
            assertEquals("resume_failed", refused.path("code").asText(), "an unknown token: " + refused);
            cy.join("elsewhere", "Cy");

            one.kill();
            assertEquals(CloseCodes.SERVICE_RESTART, back.awaitClose(),
                    "her participant died with its node: the page is told to reconnect, and joins afresh");
            assertFalse(cy.isClosed(), "node two's own people stay");
        }
    }
}
