package dev.myzoom.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    /** A line to store. */
    public record NewLine(String room, String pid, String nick, String text, long ts) {}

    /**
     * Stores the lines and marks their rooms active, in one transaction; returns the lines' ids,
     * in order.
     */
    public List<Long> appendAll(List<NewLine> lines) {
        Map<String, Long> stale = new LinkedHashMap<>();
        for (NewLine line : lines) {
            if (line.ts() - touched.getOrDefault(line.room(), Long.MIN_VALUE / 2) >= TOUCH_EVERY_MS) {
                stale.merge(line.room(), line.ts(), Math::max);
            }
        }
        List<Long> stored = jdbi.inTransaction(h -> {
            stale.forEach((room, ts) -> RoomRecords.touch(h, room, ts));
            var batch = h.prepareBatch("INSERT INTO messages (room, sender, nick, body, sent_at) VALUES (:room, :pid, :nick, :text, :ts)");
            for (NewLine line : lines) {
                batch.bind("room", line.room()).bind("pid", line.pid()).bind("nick", line.nick()).bind("text", line.text())
                        .bind("ts", line.ts()).add();
            }
            List<Long> ids = batch.executePreparedBatch("id").mapTo(Long.class).list();
            if (ids.size() != lines.size()) {
                throw new IllegalStateException("stored " + lines.size() + " lines but got " + ids.size() + " ids");
            }
            return ids;
        });
        if (touched.size() > 10_000) {
            touched.clear();
        }
        touched.putAll(stale);
        return stored;
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
