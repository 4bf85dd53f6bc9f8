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

    private volatile boolean flooded;

    Client(String pid) {
        this.pid = pid;
    }

    /** True the first time this client hits the rate limit. */
    boolean firstFlood() {
        boolean first = !flooded;
        flooded = true;
        return first;
    }

    @Override
    public final String pid() {
        return pid;
    }

    /** The client's IP address, to throttle password guessing per address. */
    abstract String address();
}
