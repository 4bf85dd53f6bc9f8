package dev.myzoom.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Who joined and left which room, when, and why they left. */
public final class MeetingLog {
    public record Entry(String room, String pid, String nick, String event, String reason, long at) {}

    private static final RowMapper<Entry> ENTRY = (rs, ctx) -> new Entry(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6));

    private static final String SELECT = "SELECT room, participant, nick, event, reason, at FROM meeting_log ";

    private final Jdbi jdbi;

    public MeetingLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Records the entries in one transaction, in order. A room's first "joined" creates its row
     * in {@code rooms}, and every "joined" marks it active.
     */
    public List<Void> recordAll(List<Entry> entries) {
        return jdbi.inTransaction(h -> {
            Map<String, Long> joined = new LinkedHashMap<>();
            entries.stream().filter(e -> e.event().equals("joined")).forEach(e -> joined.merge(e.room(), e.at(), Math::max));
            joined.forEach((room, at) -> RoomRecords.touch(h, room, at));
            PreparedBatch batch = h.prepareBatch("INSERT INTO meeting_log (room, participant, nick, event, reason, at) "
                    + "VALUES (:room, :pid, :nick, :event, :reason, :at)");
            entries.forEach(e -> batch.bindMethods(e).add());
            batch.execute();
            return Collections.nCopies(entries.size(), (Void) null);
        });
    }

    /** The latest entries of every room, newest first. */
    public List<Entry> recent(int limit) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + "ORDER BY id DESC LIMIT :limit")
                .bind("limit", limit)
                .map(ENTRY)
                .list());
    }

    /**
     * Deletes up to {@code limit} entries written before {@code cutoff} (epoch ms); returns how
     * many. Called again until it deletes fewer than {@code limit} (see {@link Retention}).
     */
    public int deleteOlderThan(long cutoff, int limit) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM meeting_log WHERE id IN "
                        + "(SELECT id FROM meeting_log WHERE at < :cutoff LIMIT :limit)")
                .bind("cutoff", cutoff).bind("limit", limit).execute());
    }

    /** The room's entries, oldest first. */
    public List<Entry> of(String room) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + "WHERE room = :room ORDER BY id")
                .bind("room", room)
                .map(ENTRY)
                .list());
    }
}
