package dev.myzoom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.support.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The same store tests on embedded H2 and on a real PostgreSQL, with the same migrations. */
class StoreTest {
    static Stream<String> databases() {
        return TestDatabase.kinds();
    }

    private final TestDatabase testDatabase = new TestDatabase();

    private Database open(String kind) {
        return testDatabase.open(kind);
    }

    static long append(ChatHistory history, String room, String pid, String nick, String text, long ts) {
        return history.appendAll(List.of(new ChatHistory.NewLine(room, pid, nick, text, ts))).get(0).id();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aLineSentAgainWithItsLineIdIsStoredOnceAndGetsItsFirstIdAndTime(String kind) {
        Database db = open(kind);
        ChatHistory history = new ChatHistory(db.jdbi());
        ChatHistory.Stored first = history.appendAll(List.of(new ChatHistory.NewLine("again", "p1", "Ana", "hello", 100L, "line-0001"))).get(0);
        assertFalse(first.again());
        // Sent again from a new connection (new pid) after the ack was lost, in a batch with a new
        // line, a line without an id, the same id in another room, and the same line twice more.
        List<ChatHistory.Stored> second = history.appendAll(List.of(
                new ChatHistory.NewLine("again", "p2", "Ana", "hello", 200L, "line-0001"),
                new ChatHistory.NewLine("again", "p2", "Ana", "next", 201L, "line-0002"),
                new ChatHistory.NewLine("again", "p3", "Bo", "no id", 202L),
                new ChatHistory.NewLine("other", "p4", "Cy", "same id elsewhere", 203L, "line-0001"),
                new ChatHistory.NewLine("again", "p2", "Ana", "next", 204L, "line-0002")));
        assertEquals(new ChatHistory.Stored(first.id(), 100L, true), second.get(0), "the first line's id and time");
        assertFalse(second.get(1).again());
        assertFalse(second.get(2).again());
        assertFalse(second.get(3).again(), "a line id is the page's own, per room");
        assertEquals(new ChatHistory.Stored(second.get(1).id(), 201L, true), second.get(4), "twice in one batch: stored once");
        assertEquals(List.of("hello", "next", "no id"), history.recent("again", 10).stream().map(ChatHistory.Line::text).toList());
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
        List<Long> ids = history.appendAll(lines).stream().map(ChatHistory.Stored::id).toList();
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
        testDatabase.close();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void chatLinesComeBackInOrderAndPageBackwardsById(String kind) {
        ChatHistory history = new ChatHistory(open(kind).jdbi());
        long first = 0;
        for (int i = 1; i <= 7; i++) {
            long id = append(history, "room-a", "p1", "Ana", "line " + i, 1000L + i);
            if (i == 1) {
                first = id;
            }
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
                .map(text -> new ChatHistory.NewLine("hostile", "p'1", "Nick \"O'Brien\" 😀", text, 1L)).toList())
                .stream().map(ChatHistory.Stored::id).toList();
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
        assertEquals(1, history.deleteOlderThan(2_000L, 10_000));
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

    static final long DAY = 86_400_000L;

    @ParameterizedTest
    @MethodSource("databases")
    void retentionDeletesOldLogEntriesAndIdleRoomsInBatchesAndKeepsRoomsWithAPasswordOrChat(String kind) throws Exception {
        Database db = open(kind);
        long now = 1_000 * DAY;
        ChatHistory history = new ChatHistory(db.jdbi());
        MeetingLog log = new MeetingLog(db.jdbi());
        RoomRecords records = new RoomRecords(db.jdbi(), now);
        List<MeetingLog.Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            entries.add(new MeetingLog.Entry("m", "old" + i, "N", "left", "left", now - 100 * DAY + i));
        }
        for (int i = 0; i < 3; i++) {
            entries.add(new MeetingLog.Entry("m", "new" + i, "N", "left", "left", now - DAY + i));
        }
        log.recordAll(entries);
        append(history, "chatty", "p", "n", "still here", now - DAY);
        append(history, "faded", "p", "n", "long ago", now - 40 * DAY);
        db.jdbi().useHandle(h -> {
            h.execute("INSERT INTO rooms (name, created_at, last_active) VALUES ('quiet', 0, ?)", now - 100 * DAY);
            h.execute("INSERT INTO rooms (name, created_at, last_active) VALUES ('recent', 0, ?)", now - 10 * DAY);
            h.execute("INSERT INTO rooms (name, created_at, last_active, password_hash) VALUES ('kept-secret', 0, ?, '$argon2id$x')",
                    now - 200 * DAY);
            // Inactive as a room, but its chat lines are not old enough to go yet.
            h.execute("UPDATE rooms SET last_active = ? WHERE name IN ('chatty', 'faded')", now - 100 * DAY);
        });

        Map<String, Long> deleted;
        try (StoreQueue queue = new StoreQueue(100, java.time.Duration.ofSeconds(5),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), Runnable::run)) {
            // Batches of 10, so that 25 old entries take three statements.
            Retention retention = new Retention(queue, java.time.Clock.fixed(java.time.Instant.ofEpochMilli(now),
                    java.time.ZoneOffset.UTC), 10, List.of(
                    new Retention.Rule("messages", java.time.Duration.ofDays(30), history::deleteOlderThan),
                    new Retention.Rule("meeting_log", java.time.Duration.ofDays(90), log::deleteOlderThan),
                    new Retention.Rule("rooms", java.time.Duration.ofDays(90), records::deleteInactive)));
            deleted = retention.run().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertEquals(Map.of("messages", 1L, "meeting_log", 25L, "rooms", 2L), deleted);
        assertEquals(List.of("new0", "new1", "new2"), log.of("m").stream().map(MeetingLog.Entry::pid).toList());
        // "faded" lost its last chat line in the same run, and then its row.
        List<String> rooms = db.jdbi().withHandle(h -> h.createQuery("SELECT name FROM rooms ORDER BY name")
                .mapTo(String.class).list());
        assertEquals(List.of("chatty", "kept-secret", "recent"), rooms);
        assertEquals(List.of("still here"), history.recent("chatty", 10).stream().map(ChatHistory.Line::text).toList());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void oneRetentionBatchDeletesAtMostItsLimit(String kind) {
        Database db = open(kind);
        MeetingLog log = new MeetingLog(db.jdbi());
        List<MeetingLog.Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            entries.add(new MeetingLog.Entry("b", "p" + i, "N", "left", null, 100L + i));
        }
        log.recordAll(entries);
        assertEquals(12, log.deleteOlderThan(1_000L, 12));
        assertEquals(12, log.deleteOlderThan(1_000L, 12));
        assertEquals(6, log.deleteOlderThan(1_000L, 12));
        assertEquals(0, log.deleteOlderThan(1_000L, 12));
        ChatHistory history = new ChatHistory(db.jdbi());
        for (int i = 0; i < 5; i++) {
            append(history, "c", "p", "n", "line " + i, 100L + i);
        }
        assertEquals(3, history.deleteOlderThan(1_000L, 3));
        assertEquals(2, history.recent("c", 10).size());
    }
}
