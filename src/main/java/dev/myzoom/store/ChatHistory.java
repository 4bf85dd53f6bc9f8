package dev.myzoom.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Every room's chat, in the order the server accepted it. */
public final class ChatHistory {
    /** One stored line; {@code id} orders lines within a room, {@code ts} is the server's time. */
    public record Line(long id, String pid, String nick, String text, long ts) {}

    // A room's "last active" time needs no more than minute precision, and updating it with
    // every line was a third of the chat writer's work in a busy room.
    private static final long TOUCH_EVERY_MS = 60_000;
    private final Map<String, Long> touched = new ConcurrentHashMap<>();
    private final Jdbi jdbi;

    public ChatHistory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A line to store. {@code lineId} is the page's own id for it (null if the client sent none):
     * a line that comes again with the same id in the same room is not stored again.
     */
    public record NewLine(String room, String pid, String nick, String text, long ts, String lineId) {
        public NewLine(String room, String pid, String nick, String text, long ts) {
            this(room, pid, nick, text, ts, null);
        }
    }

    /** Where a line was stored: its id and time, and whether it had been stored before ({@code again}). */
    public record Stored(long id, long ts, boolean again) {}

    /**
     * Stores the lines and marks their rooms active, in one transaction; returns where each went,
     * in order. A line whose room and {@code lineId} were stored before, in an earlier batch or
     * earlier in this one, is not stored again: it gets the first one's id and time. The unique
     * index on (room, line_id) backs this up when two nodes race with the same line.
     */
    public List<Stored> appendAll(List<NewLine> lines) {
        Map<String, Long> stale = new LinkedHashMap<>();
        for (NewLine line : lines) {
            if (line.ts() - touched.getOrDefault(line.room(), Long.MIN_VALUE / 2) >= TOUCH_EVERY_MS) {
                stale.merge(line.room(), line.ts(), Math::max);
            }
        }
        List<Stored> stored = jdbi.inTransaction(h -> {
            stale.forEach((room, ts) -> RoomRecords.touch(h, room, ts));
            Map<String, Stored> known = storedBefore(h, lines);
            Stored[] out = new Stored[lines.size()];
            List<Integer> fresh = new ArrayList<>();
            Map<String, Integer> firstHere = new HashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                String key = key(lines.get(i));
                if (key != null && known.containsKey(key)) {
                    out[i] = known.get(key);
                } else if (key == null || firstHere.putIfAbsent(key, i) == null) {
                    fresh.add(i);
                }
            }
            if (!fresh.isEmpty()) {
                var batch = h.prepareBatch("INSERT INTO messages (room, sender, nick, body, sent_at, line_id) "
                        + "VALUES (:room, :pid, :nick, :text, :ts, :lineId)");
                for (int i : fresh) {
                    NewLine line = lines.get(i);
                    batch.bind("room", line.room()).bind("pid", line.pid()).bind("nick", line.nick()).bind("text", line.text())
                            .bind("ts", line.ts()).bind("lineId", line.lineId()).add();
                }
                List<Long> ids = batch.executePreparedBatch("id").mapTo(Long.class).list();
                if (ids.size() != fresh.size()) {
                    throw new IllegalStateException("stored " + fresh.size() + " lines but got " + ids.size() + " ids");
                }
                for (int j = 0; j < fresh.size(); j++) {
                    out[fresh.get(j)] = new Stored(ids.get(j), lines.get(fresh.get(j)).ts(), false);
                }
            }
            // A line sent twice within this batch: the second is the first one again.
            for (int i = 0; i < out.length; i++) {
                if (out[i] == null) {
                    Stored first = out[firstHere.get(key(lines.get(i)))];
                    out[i] = new Stored(first.id(), first.ts(), true);
                }
            }
            return List.of(out);
        });
        if (touched.size() > 10_000) {
            touched.clear();
        }
        touched.putAll(stale);
        return stored;
    }

    private static String key(NewLine line) {
        return line.lineId() == null ? null : line.room() + "\n" + line.lineId();
    }

    /** The lines among {@code lines} that were stored before, by {@link #key}: one query per batch. */
    private static Map<String, Stored> storedBefore(Handle h, List<NewLine> lines) {
        List<String> ids = lines.stream().map(NewLine::lineId).filter(Objects::nonNull).distinct().toList();
        Map<String, Stored> known = new HashMap<>();
        if (ids.isEmpty()) {
            return known;
        }
        h.createQuery("SELECT room, line_id, id, sent_at FROM messages WHERE line_id IN (<ids>)")
                .bindList("ids", ids)
                .map((rs, ctx) -> Map.entry(rs.getString("room") + "\n" + rs.getString("line_id"),
                        new Stored(rs.getLong("id"), rs.getLong("sent_at"), true)))
                .forEach(e -> known.put(e.getKey(), e.getValue()));
        return known;
    }

    /** The last {@code limit} lines of the room, oldest first. */
    public List<Line> recent(String room, int limit) {
        return before(room, Long.MAX_VALUE, limit);
    }

    /** Up to {@code limit} lines older than {@code beforeId}, oldest first. */
    public List<Line> before(String room, long beforeId, int limit) {
        List<Line> newestFirst = jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, sender, nick, body, sent_at FROM messages WHERE room = :room AND id < :before "
                                + "ORDER BY id DESC LIMIT :limit")
                .bind("room", room).bind("before", beforeId).bind("limit", limit)
                .map((rs, ctx) -> new Line(rs.getLong("id"), rs.getString("sender"), rs.getString("nick"),
                        rs.getString("body"), rs.getLong("sent_at")))
                .list());
        List<Line> lines = new ArrayList<>(newestFirst);
        Collections.reverse(lines);
        return lines;
    }

    /**
     * Deletes up to {@code limit} lines sent before {@code cutoff} (epoch ms); returns how many.
     * Called again until it deletes fewer than {@code limit} (see {@link Retention}).
     */
    public int deleteOlderThan(long cutoff, int limit) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM messages WHERE id IN "
                        + "(SELECT id FROM messages WHERE sent_at < :cutoff LIMIT :limit)")
                .bind("cutoff", cutoff).bind("limit", limit).execute());
    }
}
