package dev.myzoom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.support.Await;
import dev.myzoom.support.Redis;
import dev.myzoom.support.ServerProcess;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes and a real Redis: shared rooms, messages routed to the right node, and failures. */
class ClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NODE_TIMEOUT_SECONDS = 3;
    private Redis redis;
    private String database;

    @BeforeEach
    void startRedis() {
        redis = Redis.start();
        // One database for the cluster, as in production: chat history is shared through it.
        database = "jdbc:h2:mem:cluster-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    private TestServer node() {
        return TestServer.start("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET, "NODE_TIMEOUT_SECONDS", String.valueOf(NODE_TIMEOUT_SECONDS),
                "DATABASE_URL", database, "ROOM_LIST_WINDOW_MS", "20");
    }

    /**
     * A password set on one node holds when the room later opens on another: each node kept the
     * hashes it read at start-up, so a node that started before the password was set opened the
     * room without it.
     */
    @Test
    void aPasswordSetOnOneNodeHoldsWhenTheRoomReopensOnAnother() throws Exception {
        RedisClient client = RedisClient.create(redis.url());
        try (TestServer one = node(); TestServer two = node();
                StatefulRedisConnection<String, String> tap = client.connect()) {
            try (WsClient host = one.connect()) {
                host.join("vault", "Host");
                host.ok("setPassword", "password", "the password");
            }
            // The room closed with its host, and no node holds it now.
            await("the room's home key is released", () -> tap.sync().exists("myzoom:home:vault") == 0);
            try (WsClient stranger = two.connect()) {
                assertEquals("password_required", stranger.call("join", "room", "vault", "nick", "Stranger").path("code").asText());
                stranger.ok("join", "room", "vault", "nick", "Friend", "password", "the password");
            }
        } finally {
            client.shutdown();
        }
    }

    /**
     * Every message between nodes comes in on one thread. A join from another node used to wait
     * there for its password's Argon2 hash (one at a time here, about 0.3 s each), so four wrong
     * guesses sent from node two held up everything node one was told meanwhile, a chat line of
     * another room included: the line came after three or four answers. Now the joins wait
     * elsewhere: the line is heard before the second answer at the latest (the first hash may
     * end first on a fast machine), and each guess still gets its answer.
     */
    @Test
    void aPasswordCheckForAnotherNodesJoinHoldsUpNobodyElse() throws Exception {
        try (RedisTap tap = new RedisTap(redis.url()); TestServer one = node(); TestServer two = node();
                WsClient host = one.connect(); WsClient bo = one.connect(); WsClient cy = two.connect()) {
            host.join("vault-bus", "Host");
            host.ok("setPassword", "password", "the right one");
            bo.join("lobby-bus", "Bo");
            cy.join("lobby-bus", "Cy");
            bo.next("joined");
            List<WsClient> guessers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    guessers.add(two.connect());
                }
                List<Long> before = guessers.stream().map(WsClient::received).toList();
                for (int i = 0; i < guessers.size(); i++) {
                    guessers.get(i).send(WsClient.request("join", "room", "vault-bus", "nick", "Guess" + i, "password", "wrong " + i)
                            .put("id", "guess" + i));
                }
                // The line must reach node one after the guesses (they wait for node two's claim first).
                Await.until(() -> java.util.stream.IntStream.range(0, 4)
                        .allMatch(i -> tap.published.stream().anyMatch(p -> p.contains("Guess" + i))),
                        Duration.ofSeconds(10), Duration.ofMillis(2), () -> "the guesses never went to node one");
                long sent = System.nanoTime();
                cy.send(WsClient.request("chat", "text", "meanwhile").put("id", "line"));
                assertEquals("meanwhile", bo.next("chat").path("text").asText());
                long heard = (System.nanoTime() - sent) / 1_000_000;
                long answered = java.util.stream.IntStream.range(0, 4)
                        .filter(i -> guessers.get(i).received() > before.get(i)).count();
                assertTrue(answered <= 1, answered + " guesses were answered before the line was heard");
                System.out.printf("a line between nodes heard %d ms after it was sent, with 4 guesses waiting for their hash; %d answered before%n",
                        heard, answered);
                for (int i = 0; i < guessers.size(); i++) {
                    String id = "guess" + i;
                    JsonNode answer = guessers.get(i).next(m -> id.equals(m.path("id").asText()));
                    assertEquals("wrong_password", answer.path("code").asText(), answer.toString());
                }
                assertEquals("ack", cy.next(m -> "line".equals(m.path("id").asText())).path("type").asText());
            } finally {
                guessers.forEach(WsClient::close);
            }
        }
    }

    /**
     * Finding 14 of the security audit: 100 joins with an empty nickname left 100 home keys
     * with no expiry. A join is now checked before it claims, and home keys expire unless their
     * node's beat keeps them.
     */
    @Test
    void refusedJoinsClaimNoRoomAndHomeKeysExpireWithoutTheirNode() throws Exception {
        RedisClient client = RedisClient.create(redis.url());
        try (TestServer one = node(); WsClient c = one.connect();
                StatefulRedisConnection<String, String> tap = client.connect()) {
            for (int i = 0; i < 100; i++) {
                assertEquals("invalid_nickname", c.call("join", "room", "leak-" + i, "nick", "").get("code").asText());
            }
            assertEquals(List.of(), tap.sync().keys("myzoom:home:leak-*"));
            c.join("kept", "Kept");
            long ttl = tap.sync().pttl("myzoom:home:kept");
            assertTrue(ttl > 0, "a home key must expire if nobody keeps it; pttl " + ttl);
            Thread.sleep(1200);
            assertTrue(tap.sync().pttl("myzoom:home:kept") > 0, "the beat keeps a held room's key");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void participantsOnTwoNodesShareARoomTheirChatAndItsCount() throws Exception {
        try (TestServer one = node(); TestServer two = node();
                WsClient ana = one.connect(); WsClient bo = two.connect(); WsClient watcher = two.connect()) {
            watcher.ok("watchRooms");
            ana.join("shared", "Ana");
            JsonNode boAck = bo.join("shared", "Bo");
            assertEquals(2, boAck.get("count").asInt());
            assertEquals(List.of("Ana", "Bo"), nicks(boAck.get("participants")));
            JsonNode joined = ana.next("joined");
            assertEquals("Bo", joined.get("nick").asText());
            assertEquals(2, joined.get("count").asInt());

            // Lines arrive in the order they were sent, both ways.
            for (int i = 0; i < 20; i++) {
                ana.ok("chat", "text", "from Ana " + i);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("from Ana " + i, bo.next("chat").get("text").asText());
            }
            for (int i = 0; i < 20; i++) {
                bo.ok("chat", "text", "from Bo " + i);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("from Bo " + i, ana.next("chat").get("text").asText());
            }

            // The home page on either node lists the room with both people in it.
            await("both nodes list the room with 2 people", () ->
                    roomCount(one, "shared") == 2 && roomCount(two, "shared") == 2);
            JsonNode delta = watcher.next(m -> m.path("type").asText().equals("rooms")
                    && m.toString().contains("\"count\":2"));
            assertTrue(delta.toString().contains("shared"), delta.toString());

            // A newcomer on the second node gets the history written on both.
            try (WsClient cy = two.connect()) {
                cy.join("shared", "Cy");
                assertEquals(40, cy.history.get("messages").size());
            }

            assertEquals("Cy", ana.next("left").get("nick").asText());
            bo.ok("leave");
            JsonNode left = ana.next("left");
            assertEquals("Bo", left.get("nick").asText());
            assertEquals(1, left.get("count").asInt());
        }
    }

    @Test
    void aChatLineForSeveralPeopleOnTheOtherNodeCrossesRedisOnce() throws Exception {
        try (RedisTap tap = new RedisTap(redis.url()); TestServer one = node(); TestServer two = node();
                WsClient ana = one.connect(); WsClient bo = two.connect(); WsClient di = two.connect();
                WsClient eve = two.connect()) {
            List<String> published = tap.published;
            ana.join("batched", "Ana");
            bo.join("batched", "Bo");
            di.join("batched", "Di");
            eve.join("batched", "Eve");

            ana.ok("chat", "text", "one line for three");
            for (WsClient guest : List.of(bo, di, eve)) {
                assertEquals("one line for three", guest.next("chat").get("text").asText());
            }
            // The tap hears Redis on a thread of its own, maybe after node two has passed the line on.
            await("the line on Redis", () -> published.stream().anyMatch(p -> p.contains("one line for three")));
            Thread.sleep(300);
            List<String> carrying = published.stream().filter(p -> p.contains("one line for three")).toList();
            assertEquals(1, carrying.size(), "one message to node two for its three people: " + carrying);
            for (WsClient guest : List.of(bo, di, eve)) {
                assertTrue(carrying.get(0).contains(guest.pid), carrying.get(0));
            }
        }
    }

    @Test
    void aSignalForSomeoneOnTheOtherNodeTravelsToThatNodeOnly() throws Exception {
        try (RedisTap tap = new RedisTap(redis.url()); TestServer one = node(); TestServer two = node();
                WsClient ana = one.connect(); WsClient cy = one.connect(); WsClient bo = two.connect()) {
            List<String> published = tap.published;
            ana.join("calls", "Ana");
            cy.join("calls", "Cy");
            bo.join("calls", "Bo");
            cy.drain(Duration.ofMillis(300));

            ana.ok("signal", "to", bo.pid, "data", JSON.readTree("{\"description\":{\"type\":\"offer\",\"sdp\":\"v=0 secret-offer\"}}"));
            JsonNode signal = bo.next("signal");
            assertEquals(ana.pid, signal.get("from").asText());
            assertEquals("v=0 secret-offer", signal.at("/data/description/sdp").asText());

            assertTrue(cy.drain(Duration.ofMillis(500)).stream().noneMatch(m -> m.toString().contains("secret-offer")),
                    "a participant on the room's own node saw someone else's signal");
            List<String> carrying = published.stream().filter(p -> p.contains("secret-offer")).toList();
            assertEquals(1, carrying.size(), "published: " + carrying);
            assertFalse(carrying.get(0).startsWith("myzoom:all"), carrying.get(0));
            // Ana's room lives on node one, so the offer crossed Redis once: to Bo's node.
            assertTrue(carrying.get(0).startsWith("myzoom:to:"), carrying.get(0));
            assertFalse(published.stream().anyMatch(p -> p.startsWith("myzoom:all") && p.contains("secret-offer")));
        }
    }

    @Test
    void aKilledNodesParticipantsLeaveTheOthersRoomsWithinTheTimeout() throws Exception {
        try (TestServer one = node();
                ServerProcess two = ServerProcess.start(Map.of("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET,
                        "NODE_TIMEOUT_SECONDS", String.valueOf(NODE_TIMEOUT_SECONDS)));
                WsClient ana = one.connect(); WsClient bo = WsClient.connect(two.wsUri(), null)) {
            ana.join("survivors", "Ana");
            bo.join("survivors", "Bo");
            ana.next("joined");
            await("both nodes count Bo", () -> roomCount(one, "survivors") == 2);

            long killed = System.nanoTime();
            two.kill();
            JsonNode left = ana.next(m -> m.path("type").asText().equals("left"));
            long tookMs = (System.nanoTime() - killed) / 1_000_000;
            assertEquals("Bo", left.get("nick").asText());
            assertEquals("disconnected", left.get("reason").asText());
            assertEquals(1, left.get("count").asInt());
            assertTrue(tookMs <= NODE_TIMEOUT_SECONDS * 1000L + 1500, "Bo left " + tookMs + " ms after the kill");
            System.out.printf("a killed node's participant left the room after %d ms (NODE_TIMEOUT %d s)%n",
                    tookMs, NODE_TIMEOUT_SECONDS);
            await("the room list counts only Ana", () -> roomCount(one, "survivors") == 1);
        }
    }

    @Test
    void whenTheNodeHoldingARoomDiesAnotherTakesItOverAndItsGuestsStayInIt() throws Exception {
        try (TestServer one = node();
                ServerProcess two = ServerProcess.start(Map.of("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET,
                        "NODE_TIMEOUT_SECONDS", String.valueOf(NODE_TIMEOUT_SECONDS)));
                WsClient bo = WsClient.connect(two.wsUri(), null); WsClient ana = one.connect(); WsClient cy = one.connect()) {
            bo.join("held-elsewhere", "Bo");
            ana.join("held-elsewhere", "Ana");
            cy.join("held-elsewhere", "Cy");
            // Eve comes and goes before the lock: her ticket lets her back into the locked room.
            String ticket;
            try (WsClient eve = one.connect()) {
                ticket = eve.join("held-elsewhere", "Eve").path("ticket").asText();
            }
            // Bo leaves, so Ana hosts the room, which still lives on node two; she locks it.
            bo.ok("leave");
            ana.next(m -> "host".equals(m.path("type").asText()));
            ana.ok("lock", "locked", true);
            ana.ok("media", "audio", false, "video", true, "screen", false);
            cy.next(m -> "media".equals(m.path("type").asText()));
            // Cy asks to speak, and Ana mutes everyone so that only she lets people unmute.
            cy.ok("hand", "raised", true);
            ana.ok("muteAll", "lock", true);
            cy.next(m -> "settings".equals(m.path("type").asText()) && m.path("micsLocked").asBoolean());
            long killed = System.nanoTime();
            two.kill();
            // Cy speaks at once, before anyone knows node two is dead: her line waits for the
            // room's new home instead of being refused.
            com.fasterxml.jackson.databind.node.ObjectNode gapLine = WsClient.request("chat", "text", "said in the gap");
            cy.send(gapLine);
            // No 1012 and no rejoin: the room is taken over by node one, with Ana and Cy in it as
            // they were, and everyone is told who is left once it has settled.
            List<JsonNode> anaSaw = new java.util.ArrayList<>();
            JsonNode rehomed = ana.next(m -> anaSaw.add(m) && "rehomed".equals(m.path("type").asText()));
            long tookMs = (System.nanoTime() - killed) / 1_000_000;
            System.out.printf("the room's node killed: its guests were in the room on another node after %d ms (NODE_TIMEOUT %d s)%n",
                    tookMs, NODE_TIMEOUT_SECONDS);
            List<String> left = new java.util.ArrayList<>();
            rehomed.path("participants").forEach(p -> left.add(p.path("nick").asText()));
            assertEquals(List.of("Ana", "Cy"), left.stream().sorted().toList());
            assertEquals(ana.pid, rehomed.path("host").asText(), "Ana hosts it still, whoever was seated first");
            assertTrue(rehomed.path("locked").asBoolean(), "and it is still locked");
            List<String> hands = new java.util.ArrayList<>();
            rehomed.path("hands").forEach(h -> hands.add(h.asText()));
            assertEquals(List.of(cy.pid), hands, "Cy's hand is still up: " + rehomed);
            assertTrue(rehomed.path("micsLocked").asBoolean(), "and only the host lets people unmute");
            rehomed.path("participants").forEach(p -> {
                if (p.path("pid").asText().equals(ana.pid)) {
                    assertEquals(false, p.path("media").path("audio").asBoolean(), "Ana's microphone is still off");
                }
            });
            assertTrue(!ana.isClosed() && !cy.isClosed(), "the guests kept their sockets");
            List<JsonNode> cySaw = new java.util.ArrayList<>();
            assertEquals(rehomed.path("participants"), cy.next(m -> cySaw.add(m) && "rehomed".equals(m.path("type").asText())).path("participants"),
                    "Cy is told the same");
            String gapId = gapLine.path("id").asText();
            JsonNode gapReply = cySaw.stream().filter(m -> gapId.equals(m.path("id").asText())).findFirst()
                    .orElseGet(() -> cy.next(m -> gapId.equals(m.path("id").asText())));
            assertEquals("ack", gapReply.path("type").asText(), "the line said in the gap is taken, late: " + gapReply);
            JsonNode heard = anaSaw.stream().filter(m -> "chat".equals(m.path("type").asText())).findFirst()
                    .orElseGet(() -> ana.next("chat"));
            assertEquals("said in the gap", heard.path("text").asText(), "and Ana hears it once the room is back");
            assertEquals("mic_locked", cy.call("media", "audio", true, "video", false, "screen", false).path("code").asText(),
                    "the lock holds on the new node");
            ana.ok("chat", "text", "still here");
            assertEquals("still here", cy.next("chat").path("text").asText());
            try (WsClient eve = one.connect()) {
                eve.ok("join", "room", "held-elsewhere", "nick", "Eve", "ticket", ticket);
                eve.ok("leave");
            }
            try (WsClient dan = one.connect()) {
                assertEquals("room_locked", dan.call("join", "room", "held-elsewhere", "nick", "Dan").path("code").asText());
                ana.ok("lock", "locked", false);
                JsonNode ack = dan.join("held-elsewhere", "Dan");
                assertEquals(3, ack.get("count").asInt(), "a newcomer finds Ana and Cy there");
                await("the room list counts the room on node one", () -> roomCount(one, "held-elsewhere") == 3);
            }
        }
    }

    @Test
    void chatBetweenNodesResumesByItselfAfterRedisRestarts() throws Exception {
        try (TestServer one = node(); TestServer two = node();
                WsClient ana = one.connect(); WsClient bo = two.connect()) {
            ana.join("weather", "Ana");
            bo.join("weather", "Bo");
            ana.next("joined");

            redis.kill();
            await("readiness says degraded while Redis is down", () -> {
                HttpResponse<String> ready = one.get("/health/ready");
                return ready.statusCode() == 503 && ready.body().contains("\"redis\":\"down\"");
            });
            // Meanwhile Bo's line cannot reach the room on node one, and he is told so.
            JsonNode refused = bo.call("chat", "text", "during the outage");
            assertEquals("unavailable", refused.path("code").asText(), refused.toString());

            redis.launch();
            long back = System.nanoTime();
            boolean delivered = false;
            for (int attempt = 0; attempt < 40 && !delivered; attempt++) {
                JsonNode reply = bo.call("chat", "text", "after " + attempt);
                if (reply.get("type").asText().equals("ack")) {
                    JsonNode line = ana.next("chat");
                    delivered = line.get("text").asText().startsWith("after");
                } else {
                    Thread.sleep(250);
                }
            }
            assertTrue(delivered, "chat never resumed after Redis came back");
            System.out.printf("chat between nodes resumed %d ms after Redis came back%n", (System.nanoTime() - back) / 1_000_000);
            ana.ok("chat", "text", "and back");
            assertEquals("and back", bo.next("chat").get("text").asText());
            await("readiness is back", () -> one.get("/health/ready").statusCode() == 200);
        }
    }

    @Test
    void aStrangerPublishingOnRedisCannotSpeakForANode() throws Exception {
        RedisClient strangerClient = RedisClient.create(redis.url());
        try (TestServer one = node(); TestServer two = node();
                WsClient ana = one.connect(); WsClient bo = two.connect();
                StatefulRedisConnection<String, String> stranger = strangerClient.connect()) {
            ana.join("guarded", "Ana");
            bo.join("guarded", "Bo");
            ana.next("joined");
            // Everything a stranger needs is in Redis: the room's home and the other node's id.
            String home = stranger.sync().get("myzoom:home:guarded");
            String boNode = stranger.sync().smembers("myzoom:nodes").stream().filter(n -> !n.equals(home)).findFirst().orElseThrow();
            String toBo = "myzoom:to:" + boNode;
            String toHome = "myzoom:to:" + home;
            String close = JSON.writeValueAsString(new NodeMessage.AdminAction("close", "guarded", null, "Closed by a stranger."));
            BusSeal wrongSecret = new BusSeal("a secret that is not the cluster's", home, Clock.systemUTC());
            BusSeal replayed = new BusSeal(Redis.CLUSTER_SECRET, home, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)));
            BusSeal right = new BusSeal(Redis.CLUSTER_SECRET, home, Clock.systemUTC());

            List<String[]> forgeries = List.of(
                    new String[] {toBo, home + " " + forgedChat(bo.pid, "unsigned")},
                    new String[] {toBo, wrongSecret.seal(toBo, forgedChat(bo.pid, "wrong secret"))},
                    new String[] {toBo, replayed.seal(toBo, forgedChat(bo.pid, "replayed"))},
                    // Signed right, but for another node's channel.
                    new String[] {toBo, right.seal(toHome, forgedChat(bo.pid, "moved"))},
                    new String[] {toHome, home + " " + close},
                    new String[] {toHome, wrongSecret.seal(toHome, close)},
                    new String[] {toHome, replayed.seal(toHome, close)});
            for (String[] forgery : forgeries) {
                assertEquals(1L, stranger.sync().publish(forgery[0], forgery[1]), "a node listens on " + forgery[0]);
            }

            // The nodes read their channels in order: a forgery let through would arrive before this.
            ana.ok("chat", "text", "still here");
            assertEquals("still here", bo.next("chat").get("text").asText());
            bo.ok("chat", "text", "me too");
            assertEquals("me too", ana.next("chat").get("text").asText());
            for (WsClient person : List.of(ana, bo)) {
                List<JsonNode> rest = person.drain(Duration.ofMillis(300));
                assertTrue(rest.stream().noneMatch(m -> m.toString().contains("forged") || m.toString().contains("stranger")
                        || m.path("type").asText().equals("removed")), rest.toString());
            }
            assertEquals(2, roomCount(one, "guarded"));
            String metrics = two.get("/metrics").body();
            assertTrue(metrics.contains("reason=\"unsigned\"} 1.0") && metrics.contains("reason=\"bad signature\"} 2.0")
                    && metrics.contains("reason=\"too old\"} 1.0"), metrics);

            // The test's forgery is well made: signed with the cluster's secret, it is delivered.
            stranger.sync().publish(toBo, right.seal(toBo, forgedChat(bo.pid, "signed right")));
            assertEquals("forged signed right", bo.next("chat").get("text").asText());
        } finally {
            strangerClient.shutdown();
        }
    }

    /** A node message asking Bo's node to hand him a chat line "from the host". */
    private static String forgedChat(String pid, String how) throws Exception {
        String frame = JSON.writeValueAsString(Map.of("type", "chat", "msgId", 1, "pid", "a1b2c3d4e5f60718",
                "nick", "Host", "text", "forged " + how, "sentAt", System.currentTimeMillis()));
        return JSON.writeValueAsString(new NodeMessage.Deliver(List.of(pid), frame));
    }

    private static List<String> nicks(JsonNode people) {
        return java.util.stream.StreamSupport.stream(people.spliterator(), false).map(p -> p.get("nick").asText()).toList();
    }

    /** The room's count in a node's /api/rooms, 0 if it is not listed. */
    private static int roomCount(TestServer node, String room) {
        try {
            JsonNode rooms = JSON.readTree(node.get("/api/rooms").body()).get("rooms");
            for (JsonNode r : rooms) {
                if (r.get("room").asText().equals(room)) {
                    return r.get("count").asInt();
                }
            }
            return 0;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Notes everything My Zoom publishes, as "channel message". */
    /** Every message the nodes publish on Redis, as "channel message", from a client of its own. */
    private static final class RedisTap implements AutoCloseable {
        final List<String> published = new CopyOnWriteArrayList<>();
        private final RedisClient client;
        private final StatefulRedisPubSubConnection<String, String> connection;

        RedisTap(String url) {
            client = RedisClient.create(url);
            connection = client.connectPubSub();
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String pattern, String channel, String message) {
                    published.add(channel + " " + message);
                }
            });
            connection.sync().psubscribe("myzoom:*");
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(condition, Duration.ofSeconds(15), Duration.ofMillis(100), () -> "never: " + what);
    }
}
