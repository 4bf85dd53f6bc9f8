package dev.myzoom.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Every room's chat, in the order the server accepted it. */
public final class ChatHistory {
    /** One stored line; {@code id} orders lines within a room, {@code ts} is the server's time. */
    public record Line(long id, String pid, String nick, String text, long ts) {}

    private final Jdbi jdbi;

    public ChatHistory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Stores a line and marks the room active, in one transaction; returns the line's id. */
    public long append(String room, String pid, String nick, String text, long ts) {
        return jdbi.inTransaction(h -> {
            RoomRecords.touch(h, room, ts);
            return h.createUpdate("INSERT INTO messages (room, sender, nick, body, sent_at) VALUES (:room, :pid, :nick, :text, :ts)")
                    .bind("room", room).bind("pid", pid).bind("nick", nick).bind("text", text).bind("ts", ts)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        });
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

    /** Deletes lines sent before {@code cutoff} (epoch ms); returns how many. */
    public int deleteOlderThan(long cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM messages WHERE sent_at < :cutoff")
                .bind("cutoff", cutoff).execute());
    }
}
