package dev.myzoom.store;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

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

    /** Creates the room's row if needed and marks it active at {@code now}. */
    public void touch(String room, long now) {
        jdbi.useHandle(h -> touch(h, room, now));
    }

    static void touch(Handle h, String room, long now) {
        int updated = h.createUpdate("UPDATE rooms SET last_active = :now WHERE name = :room")
                .bind("now", now).bind("room", room).execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO rooms (name, created_at, last_active) VALUES (:room, :now, :now)")
                    .bind("room", room).bind("now", now).execute();
        }
    }
}
