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
 * opening a room never waits on the database.
 */
public final class RoomRecords {
    private final Jdbi jdbi;
    private final Map<String, String> passwordHashes = new ConcurrentHashMap<>();

    public RoomRecords(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.useHandle(h -> h.createQuery("SELECT name, password_hash FROM rooms WHERE password_hash IS NOT NULL")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> passwordHashes.put(e.getKey(), e.getValue())));
    }

    public Optional<String> passwordHash(String room) {
        return Optional.ofNullable(passwordHashes.get(room));
    }

    /** Stores (or with null clears) the room's password hash. */
    public void savePassword(String room, String hash, long now) {
        jdbi.useTransaction(h -> {
            touch(h, room, now);
            h.createUpdate("UPDATE rooms SET password_hash = :hash WHERE name = :room")
                    .bind("hash", hash).bind("room", room).execute();
        });
        if (hash == null) {
            passwordHashes.remove(room);
        } else {
            passwordHashes.put(room, hash);
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
