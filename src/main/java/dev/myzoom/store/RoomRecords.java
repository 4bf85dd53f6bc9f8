package dev.myzoom.store;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * One row per room that ever had a message or a setting: when it was created and last active,
 * and its password hash. The hashes are all read at start-up and kept in memory too, so that
 * opening a room never waits on the database, together with when each room was last closed: a
 * password ends once its room has been closed for a while (see {@link #expire}), so that nobody
 * can keep a room name for good.
 */
public final class RoomRecords {
    /** A room's password, and since when the room has been closed (null while it is open). */
    public record Protection(String hash, Long closedAt) {}

    private final Jdbi jdbi;
    private final Map<String, Protection> protections = new ConcurrentHashMap<>();

    /** @param now the start-up time, which counts as the closing time of every room read */
    public RoomRecords(Jdbi jdbi, long now) {
        this.jdbi = jdbi;
        // Rooms may have been open when the server stopped: their grace starts now.
        jdbi.useHandle(h -> h.createQuery("SELECT name, password_hash FROM rooms WHERE password_hash IS NOT NULL")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> protections.put(e.getKey(), new Protection(e.getValue(), now))));
    }

    public Optional<Protection> protection(String room) {
        return Optional.ofNullable(protections.get(room));
    }

    /**
     * The room's password as the database has it, for a node of a cluster opening the room: the
     * node that set it may be another, and this node's memory has not heard of it (or of its
     * clearing). The room counts as closed since its last join or leave. This node's memory is
     * brought up to date with it.
     */
    public Optional<Protection> storedProtection(String room) {
        Optional<Protection> stored = jdbi.withHandle(h -> h.createQuery("SELECT password_hash, last_active, "
                        + "(SELECT MAX(at) FROM meeting_log WHERE room = :room) FROM rooms WHERE name = :room")
                .bind("room", room)
                .map((rs, ctx) -> {
                    String hash = rs.getString(1);
                    long lastEvent = rs.getLong(3);
                    return hash == null ? null : new Protection(hash, Math.max(rs.getLong(2), lastEvent));
                })
                .findOne());
        if (stored.isPresent()) {
            protections.put(room, stored.get());
        } else {
            protections.remove(room);
        }
        return stored;
    }

    /** Every room with a password now, for the administrator. */
    public Map<String, Protection> protections() {
        return Map.copyOf(protections);
    }

    /** The room opened: its password holds for as long as it stays open. */
    public void opened(String room) {
        protections.computeIfPresent(room, (r, p) -> new Protection(p.hash(), null));
    }

    public void closed(String room, long now) {
        protections.computeIfPresent(room, (r, p) -> new Protection(p.hash(), now));
    }

    /**
     * Clears the password of every room closed since before {@code cutoff}; returns how many.
     * Runs on a database writer.
     */
    public int expire(long cutoff) {
        int cleared = 0;
        for (Map.Entry<String, Protection> e : protections.entrySet()) {
            Long closedAt = e.getValue().closedAt();
            if (closedAt != null && closedAt < cutoff) {
                jdbi.useHandle(h -> h.createUpdate("UPDATE rooms SET password_hash = NULL WHERE name = :room")
                        .bind("room", e.getKey()).execute());
                if (protections.remove(e.getKey(), e.getValue())) {
                    cleared++;
                }
            }
        }
        return cleared;
    }

    /**
     * Deletes up to {@code limit} rows of rooms inactive since before {@code cutoff} (epoch ms)
     * that have neither a password nor chat lines left; returns how many. Such a row holds nothing
     * but a name and two times, and the next join or chat line makes it again. Rooms with a
     * password keep theirs until it expires (and their row is then deleted a later time). The
     * conditions are repeated outside the subquery so that a row a writer touches meanwhile (a
     * join) is rechecked and kept.
     */
    public int deleteInactive(long cutoff, int limit) {
        String idle = "last_active < :cutoff AND password_hash IS NULL "
                + "AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.room = rooms.name)";
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM rooms WHERE name IN (SELECT name FROM rooms WHERE " + idle
                        + " LIMIT :limit) AND " + idle)
                .bind("cutoff", cutoff).bind("limit", limit).execute());
    }

    /** Stores (or with null clears) the room's password hash. */
    public void savePassword(String room, String hash, long now) {
        jdbi.useTransaction(h -> {
            touch(h, room, now);
            h.createUpdate("UPDATE rooms SET password_hash = :hash WHERE name = :room")
                    .bind("hash", hash).bind("room", room).execute();
        });
        if (hash == null) {
            protections.remove(room);
        } else {
            // Set by the host of an open room.
            protections.put(room, new Protection(hash, null));
        }
    }

    /**
     * Creates the room's row if needed and marks it active at {@code now}; runs inside a
     * transaction. Chat lines, the meeting log and passwords are written on different threads, so
     * two of them may create the same room's row at once: the loser's insert fails on the key,
     * is rolled back to a savepoint (PostgreSQL would otherwise abort the whole transaction), and
     * it updates the row instead.
     */
    static void touch(Handle h, String room, long now) {
        if (markActive(h, room, now) > 0) {
            return;
        }
        h.savepoint("touch");
        try {
            h.createUpdate("INSERT INTO rooms (name, created_at, last_active) VALUES (:room, :now, :now)")
                    .bind("room", room).bind("now", now).execute();
            h.release("touch");
        } catch (UnableToExecuteStatementException e) {
            if (!(e.getCause() instanceof SQLException sql) || !"23505".equals(sql.getSQLState())) {
                throw e;
            }
            h.rollbackToSavepoint("touch");
            markActive(h, room, now);
        }
    }

    private static int markActive(Handle h, String room, long now) {
        return h.createUpdate("UPDATE rooms SET last_active = :now WHERE name = :room")
                .bind("now", now).bind("room", room).execute();
    }
}
