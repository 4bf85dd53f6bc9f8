package dev.myzoom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.Postgres;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What users see of the database: history across restarts, late joiners, and an outage. */
class PersistenceTest {
    @TempDir
    Path dir;

    static List<String> texts(JsonNode messages) {
        List<String> texts = new ArrayList<>();
        messages.forEach(m -> texts.add(m.get("text").asText()));
        return texts;
    }

    @Test
    void historySurvivesARestartOnTheSameH2FileInOrder() {
        String url = "jdbc:h2:file:" + dir.resolve("myzoom") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        List<String> sent = new ArrayList<>();
        try (TestServer server = TestServer.start("DATABASE_URL", url); WsClient a = server.connect()) {
            a.join("kept", "Ana");
            for (int i = 1; i <= 12; i++) {
                sent.add("message " + i + " 🙂");
                a.ok("chat", "text", sent.get(i - 1));
            }
        }
        try (TestServer server = TestServer.start("DATABASE_URL", url, "CHAT_HISTORY", "10"); WsClient b = server.connect()) {
            b.join("kept", "Bo");
            assertFalse(b.history.get("unavailable").asBoolean());
            assertEquals(sent.subList(2, 12), texts(b.history.get("messages")));
            long oldest = b.history.get("messages").get(0).get("msgId").asLong();
            JsonNode older = b.ok("history", "before", oldest, "limit", 50);
            assertEquals(sent.subList(0, 2), texts(older.get("messages")));
        }
    }

    @Test
    void aLateJoinerGetsTheEarlierLinesAsHistoryAndLiveOnesAfter() {
        try (TestServer server = TestServer.start(); WsClient a = server.connect(); WsClient late = server.connect()) {
            a.join("late", "Ana");
            JsonNode ack = a.ok("chat", "text", "before you came");
            late.join("late", "Late");
            JsonNode line = late.history.get("messages").get(0);
            assertEquals("before you came", line.get("text").asText());
            assertEquals("Ana", line.get("nick").asText());
            assertEquals(ack.get("msgId").asLong(), line.get("msgId").asLong());
            assertEquals(ack.get("ts").asLong(), line.get("ts").asLong());
            a.ok("chat", "text", "now");
            assertEquals("now", late.next("chat").get("text").asText());
        }
    }

    @Test
    void roomsAreRecordedOnFirstJoinAndTheMeetingLogKeepsWhoCameAndWhyTheyLeft() throws Exception {
        try (TestServer server = TestServer.start("RESUME_SECONDS", "1"); WsClient host = server.connect()) {
            host.join("logged", "Host");
            try (WsClient leaver = server.connect(); WsClient dropper = server.connect(); WsClient removed = server.connect()) {
                leaver.join("logged", "Leaver");
                dropper.join("logged", "Dropper");
                removed.join("logged", "Removed");
                leaver.ok("leave");
                dropper.abort();
                host.next(m -> m.get("type").asText().equals("left") && m.get("pid").asText().equals(dropper.pid));
                host.ok("removeParticipant", "pid", removed.pid);
            }
            List<String> rows = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (rows.size() < 7 && System.nanoTime() < deadline) {
                rows.clear();
                try (var db = java.sql.DriverManager.getConnection(server.databaseUrl, "sa", "");
                        var rs = db.createStatement().executeQuery(
                                "SELECT nick, event, reason FROM meeting_log WHERE room = 'logged' ORDER BY id")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1) + " " + rs.getString(2) + (rs.getString(3) == null ? "" : " " + rs.getString(3)));
                    }
                }
                Thread.sleep(100);
            }
            assertEquals(List.of("Host joined", "Leaver joined", "Dropper joined", "Removed joined",
                    "Leaver left left", "Dropper left disconnected", "Removed left removed"), rows);
            try (var db = java.sql.DriverManager.getConnection(server.databaseUrl, "sa", "");
                    var rs = db.createStatement().executeQuery("SELECT created_at, last_active FROM rooms WHERE name = 'logged'")) {
                assertTrue(rs.next(), "the room is recorded on its first join");
                assertTrue(rs.getLong(2) >= rs.getLong(1));
            }
        }
    }

    @Test
    void whenPostgresGoesDownChatIsRefusedPlainlyCallsGoOnAndItRecoversByItself() {
        try (Postgres pg = Postgres.privateServer();
                TestServer server = TestServer.start("DATABASE_URL", pg.url(), "DATABASE_USER", pg.user());
                WsClient a = server.connect(); WsClient b = server.connect()) {
            a.join("outage", "Ana");
            b.join("outage", "Bo");
            long acked = a.ok("chat", "text", "before the outage").get("msgId").asLong();
            b.next("chat");

            pg.stop();
            long start = System.nanoTime();
            JsonNode refused = a.call("chat", "text", "during the outage");
            assertEquals("store_unavailable", refused.get("code").asText());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 8, "the refusal must not hang");
            // Signaling and calls go on: pings, media state and relays still answer at once.
            long pingStart = System.nanoTime();
            a.ok("ping");
            assertTrue(Duration.ofNanos(System.nanoTime() - pingStart).toMillis() < 1000, "the socket's thread is not stuck");
            a.ok("media", "audio", false, "video", true, "screen", false);
            assertEquals(a.pid, b.next("media").get("pid").asText());
            assertEquals(503, server.get("/health/ready").statusCode());
            try (WsClient c = server.connect()) {
                c.ok("join", "room", "outage", "nick", "Cy");
                assertTrue(c.next("history").get("unavailable").asBoolean());
            }
            assertTrue(b.drain(Duration.ofMillis(300)).stream().noneMatch(m -> m.path("text").asText().equals("during the outage")),
                    "a refused line must not reach anyone");

            pg.startAgain();
            JsonNode back = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                back = a.call("chat", "text", "after the outage");
                if (back.get("type").asText().equals("ack")) {
                    break;
                }
                a.drain(Duration.ofMillis(500));
            }
            assertEquals("ack", back.get("type").asText(), "chat must work again without a restart: " + back);
            assertEquals(200, server.get("/health/ready").statusCode());
            try (WsClient d = server.connect()) {
                d.join("outage", "Di");
                List<String> history = texts(d.history.get("messages"));
                assertEquals("before the outage", history.get(0));
                assertTrue(history.contains("after the outage") && !history.contains("during the outage"), history.toString());
                assertEquals(acked, d.history.get("messages").get(0).get("msgId").asLong());
            }
        }
    }
}
