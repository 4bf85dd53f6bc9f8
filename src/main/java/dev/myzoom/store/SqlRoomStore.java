package dev.myzoom.store;

import dev.myzoom.room.RoomStore;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Rooms' database side: password hashes and the meeting log, written through the store queue. */
public final class SqlRoomStore implements RoomStore {
    private static final Logger log = LoggerFactory.getLogger(SqlRoomStore.class);

    private final RoomRecords records;
    private final StoreQueue.Batched<MeetingLog.Entry, Void> entries;
    private final StoreQueue queue;
    private final Clock clock;
    private final java.time.Duration passwordIdle;
    private final boolean shared;

    /**
     * @param passwordIdle how long a closed room keeps its password
     * @param shared whether other nodes write to the same database (a cluster)
     */
    public SqlRoomStore(RoomRecords records, MeetingLog meetingLog, StoreQueue queue, Clock clock,
            java.time.Duration passwordIdle, boolean shared) {
        this.shared = shared;
        this.records = records;
        this.queue = queue;
        this.clock = clock;
        this.passwordIdle = passwordIdle;
        // Written together when they pile up: a meeting's start is hundreds of joins a second.
        this.entries = queue.batched("store-log-writer", meetingLog::recordAll);
    }

    /**
     * The hash, unless the room has been closed for longer than the idle period. In a cluster it
     * is read from the database, since another node may have set or cleared it: a room opens
     * once per meeting, so the read is rare. If the database cannot answer, this node's memory does.
     */
    @Override
    public Optional<String> passwordHash(String room) {
        long cutoff = clock.millis() - passwordIdle.toMillis();
        Optional<RoomRecords.Protection> protection;
        try {
            protection = shared ? records.storedProtection(room) : records.protection(room);
        } catch (RuntimeException e) {
            log.warn("could not read the password of room {} from the database, using this node's copy: {}", room,
                    e.toString());
            protection = records.protection(room);
        }
        return protection.filter(p -> p.closedAt() == null || p.closedAt() >= cutoff).map(RoomRecords.Protection::hash);
    }

    @Override
    public void opened(String room) {
        records.opened(room);
    }

    @Override
    public void closed(String room) {
        records.closed(room, clock.millis());
    }

    /** Clears the passwords of rooms closed for longer than the idle period; run now and then. */
    public CompletableFuture<Integer> expirePasswords() {
        return queue.write(() -> {
            int cleared = records.expire(clock.millis() - passwordIdle.toMillis());
            if (cleared > 0) {
                log.info("event=passwords-expired rooms={}", cleared);
            }
            return cleared;
        });
    }

    @Override
    public CompletableFuture<Void> savePassword(String room, String hash) {
        return queue.write(() -> {
            records.savePassword(room, hash, clock.millis());
            return null;
        });
    }

    /** Also creates the room's row on its first join, and marks it active. */
    @Override
    public void joined(String room, String pid, String nick) {
        log(new MeetingLog.Entry(room, pid, nick, "joined", null, clock.millis()));
    }

    @Override
    public void left(String room, String pid, String nick, String reason) {
        log(new MeetingLog.Entry(room, pid, nick, "left", reason, clock.millis()));
    }

    @Override
    public void admin(String room, String action, String pid, String nick, String detail) {
        // A room-wide action concerns nobody in particular: its participant and nick are empty.
        log(new MeetingLog.Entry(room, pid == null ? "" : pid, nick == null ? "" : nick, action, detail, clock.millis()));
    }

    // The log is a record, not part of the call: if the database cannot take it, say so in the
    // server log and carry on.
    private void log(MeetingLog.Entry entry) {
        entries.write(entry, (done, failure) -> {
            if (failure != null) {
                log.warn("meeting log entry lost ({} {} {}): {}", entry.event(), entry.pid(), entry.room(), failure.toString());
            }
        });
    }
}
