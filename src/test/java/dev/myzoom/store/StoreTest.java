package dev.myzoom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.support.Postgres;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The same store tests on embedded H2 and on a real PostgreSQL, with the same migrations. */
class StoreTest {
    static Stream<String> databases() {
        return Stream.of("h2", "postgresql");
    }

    Database database;
    Postgres postgres;

    Database open(String kind) {
        if (kind.equals("h2")) {
            database = new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
        } else {
            postgres = Postgres.any();
            database = new Database(postgres.url(), postgres.user(), "");
        }
        return database;
    }

    static long append(ChatHistory history, String room, String pid, String nick, String text, long ts) {
        return history.appendAll(List.of(new ChatHistory.NewLine(room, pid, nick, text, ts))).get(0);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aBatchOfSeveralRoomsStoresEveryLineInOrderAndTouchesEachRoom(String kind) {
        Database db = open(kind);
        ChatHistory history = new ChatHistory(db.jdbi());
        List<ChatHistory.NewLine> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lines.add(new ChatHistory.NewLine(i % 3 == 0 ? "batch-a" : "batch-b", "p" + i, "N" + i, "line " + i, 10_000L + i));
        }
        List<Long> ids = history.appendAll(lines);
        assertEquals(300, ids.size());
        assertEquals(ids.stream().sorted().distinct().toList(), ids);
        List<String> inA = history.recent("batch-a", 1000).stream().map(ChatHistory.Line::text).toList();
        assertEquals(100, inA.size());
        assertEquals("line 0", inA.get(0));
        assertEquals("line 297", inA.get(99));
        assertEquals(200, history.recent("batch-b", 1000).size());
        long lastActive = db.jdbi().withHandle(h -> h.createQuery("SELECT last_active FROM rooms WHERE name = 'batch-a'")
                .mapTo(Long.class).one());
        assertEquals(10_297L, lastActive);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void twoWritersCreatingTheSameRoomsRowAtOnceBothSucceed(String kind) throws Exception {
        Database db = open(kind);
        try (org.jdbi.v3.core.Handle first = db.jdbi().open()) {
            first.begin();
            first.execute("INSERT INTO rooms (name, created_at, last_active) VALUES ('race', 1, 1)");
            // The second writer does not see the first's row yet, so it inserts too, and waits on the key.
            var second = java.util.concurrent.CompletableFuture.runAsync(() ->
                    db.jdbi().useTransaction(h -> RoomRecords.touch(h, "race", 5)));
            Thread.sleep(300);
            first.commit();
            second.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        long lastActive = db.jdbi().withHandle(h -> h.createQuery("SELECT last_active FROM rooms WHERE name = 'race'")
                .mapTo(Long.class).one());
        assertEquals(5L, lastActive);
    }

    @AfterEach
    void close() {
        if (database != null) database.close();
        if (postgres != null) postgres.close();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void chatLinesComeBackInOrderAndPageBackwardsById(String kind) {
        ChatHistory history = new ChatHistory(open(kind).jdbi());
        long first = 0;
        for (int i = 1; i <= 7; i++) {
            long id = append(history, "room-a", "p1", "Ana", "line " + i, 1000L + i);
            if (i == 1) first = id;
        }
        append(history, "room-b", "p2", "Bo", "elsewhere", 2000L);

        List<ChatHistory.Line> recent = history.recent("room-a", 3);
        assertEquals(List.of("line 5", "line 6", "line 7"), recent.stream().map(ChatHistory.Line::text).toList());
        List<ChatHistory.Line> older = history.before("room-a", recent.get(0).id(), 10);
        assertEquals(List.of("line 1", "line 2", "line 3", "line 4"), older.stream().map(ChatHistory.Line::text).toList());
        assertEquals(first, older.get(0).id());
        assertEquals(1001L, older.get(0).ts());
        assertEquals("Ana", older.get(0).nick());
        assertTrue(history.before("room-a", first, 10).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void hostileAndUnusualTextRoundTripsExactly(String kind) {
        ChatHistory history = new ChatHistory(open(kind).jdbi());
        List<String> texts = List.of(
                "it's \"quoted\" and `ticked`",
                "'; DROP TABLE messages; --",
                "Robert'); DELETE FROM rooms WHERE ('1'='1",
                "emoji 👩‍👩‍👧‍👦 🎉 and flags 🇰🇷",
                "한국어 문장입니다. 회의를 시작합시다!",
                "4-byte: 𝄞 𠜎 𝕳𝖊𝖑𝖑𝖔",
                "tabs\tand\nnew lines\r\n and trailing spaces   ",
                "<script>alert(1)</script>",
                "x".repeat(2000));
        // In one batch, as the chat writer stores lines that arrive together.
        List<Long> ids = history.appendAll(texts.stream()
                .map(text -> new ChatHistory.NewLine("hostile", "p'1", "Nick \"O'Brien\" 😀", text, 1L)).toList());
        assertEquals(texts.size(), ids.size());
        assertEquals(ids.stream().sorted().toList(), ids, "ids follow the batch's order");
        List<ChatHistory.Line> back = history.recent("hostile", texts.size());
        assertEquals(texts, back.stream().map(ChatHistory.Line::text).toList());
        assertEquals("Nick \"O'Brien\" 😀", back.get(0).nick());
        assertEquals("p'1", back.get(0).pid());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void retentionDeletesOnlyOlderLines(String kind) {
        ChatHistory history = new ChatHistory(open(kind).jdbi());
        append(history, "r", "p", "n", "old", 1_000L);
        append(history, "r", "p", "n", "new", 5_000L);
        assertEquals(1, history.deleteOlderThan(2_000L));
        assertEquals(List.of("new"), history.recent("r", 10).stream().map(ChatHistory.Line::text).toList());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void passwordHashesAreStoredClearedAndReadBackAtStartUp(String kind) {
        Database db = open(kind);
        RoomRecords records = new RoomRecords(db.jdbi(), 0);
        records.savePassword("private", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", 10L);
        records.savePassword("cleared", "$argon2id$x", 10L);
        records.savePassword("cleared", null, 11L);
        RoomRecords reloaded = new RoomRecords(db.jdbi(), 0);
        assertEquals(Optional.of("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"), reloaded.protection("private").map(RoomRecords.Protection::hash));
        assertEquals(Optional.empty(), reloaded.protection("cleared").map(RoomRecords.Protection::hash));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theMeetingLogKeepsJoinsAndLeavesWithReasons(String kind) {
        MeetingLog log = new MeetingLog(open(kind).jdbi());
        log.recordAll(List.of(
                new MeetingLog.Entry("m", "p1", "Ana", "joined", null, 1L),
                new MeetingLog.Entry("m", "p2", "Bo", "joined", null, 2L),
                new MeetingLog.Entry("m", "p2", "Bo", "left", "removed", 3L),
                new MeetingLog.Entry("m", "p1", "Ana", "left", "disconnected", 4L)));
        List<MeetingLog.Entry> entries = log.of("m");
        assertEquals(4, entries.size());
        assertEquals(new MeetingLog.Entry("m", "p2", "Bo", "left", "removed", 3L), entries.get(2));
        assertEquals("disconnected", entries.get(3).reason());
    }
}
