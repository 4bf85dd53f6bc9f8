package dev.myzoom.signal;

import dev.myzoom.room.Member;
import dev.myzoom.room.Room;

/**
 * Someone whose requests the endpoint carries out: a WebSocket on this node ({@link Connection}),
 * or one on another node whose room lives here ({@link RemoteClient}). What the endpoint
 * remembers about them is the same either way.
 */
abstract sealed class Client implements Member permits Connection, RemoteClient {
    private final String pid;
    volatile String nick;
    /** The room they are in on this node. */
    volatile Room room;

    /** When each error code was last logged for this client (there are a score of codes). */
    private final java.util.Map<String, Long> loggedAt = new java.util.concurrent.ConcurrentHashMap<>();

    Client(String pid) {
        this.pid = pid;
    }

    /**
     * Whether an error with this code should be logged now: at most once a minute per code, so
     * that a client sending junk in a loop cannot fill the log.
     */
    boolean shouldLog(String code, long nowMillis) {
        Long last = loggedAt.get(code);
        if (last != null && nowMillis - last < 60_000) {
            return false;
        }
        loggedAt.put(code, nowMillis);
        return true;
    }

    @Override
    public final String pid() {
        return pid;
    }

    /** The client's IP address, to throttle password guessing per address. */
    abstract String address();
}
