package dev.myzoom.signal;

import dev.myzoom.protocol.ServerMessage;
import dev.myzoom.room.Member;
import dev.myzoom.room.Room;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Someone whose requests the endpoint carries out: a WebSocket on this node ({@link Connection}),
 * or one on another node whose room lives here ({@link RemoteClient}). What the endpoint
 * remembers about them is the same either way.
 */
abstract sealed class Client implements Member permits Connection, RemoteClient {
    private final String pid;
    private final Replies replies;
    volatile String nick;
    /** The room they are in on this node. */
    volatile Room room;
    /** Their microphone, camera and screen as they last said (to seat them again after a takeover). */
    volatile ServerMessage.MediaState media = ServerMessage.MediaState.NONE;

    /** When each error code was last logged for this client (there are a score of codes). */
    private final Map<String, Long> loggedAt = new ConcurrentHashMap<>();

    Client(String pid, Replies replies) {
        this.pid = pid;
        this.replies = replies;
    }

    /** Answers a request, or tells this client something: encoded, counted, and logged if an error. */
    final void reply(ServerMessage message) {
        replies.send(this, message);
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
