package dev.myzoom.signal;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSockets open on this node, by Jetty's session id, and their participants by pid
 * (including those whose socket dropped and who may still resume).
 */
final class Connections {
    private final Map<String, Connection> bySession = new ConcurrentHashMap<>();
    private final Map<String, Connection> byPid = new ConcurrentHashMap<>();

    void add(String sessionId, Connection connection) {
        bySession.put(sessionId, connection);
        byPid.put(connection.pid(), connection);
    }

    /**
     * The connection's socket is gone but the participant waits for a resume: it is no longer
     * found by session, but still by pid, so that what is sent to it from other nodes is kept.
     */
    Connection detach(String sessionId) {
        return bySession.remove(sessionId);
    }

    /** The participant that waited for a resume is gone for good. */
    void forget(Connection connection) {
        byPid.remove(connection.pid(), connection);
    }

    /** A waiting participant took a new socket. */
    void attach(String sessionId, Connection connection) {
        bySession.put(sessionId, connection);
        byPid.put(connection.pid(), connection);
    }

    Connection bySession(String sessionId) {
        return bySession.get(sessionId);
    }

    Connection byPid(String pid) {
        return byPid.get(pid);
    }

    /** Every connection with its session id, for the idle sweep. */
    Map<String, Connection> sessions() {
        return bySession;
    }

    /** Every participant here, those waiting for a resume too. */
    Collection<Connection> participants() {
        return byPid.values();
    }

    Collection<Connection> all() {
        return bySession.values();
    }

    int size() {
        return bySession.size();
    }
}
