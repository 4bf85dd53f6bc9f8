package dev.myzoom.signal;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The WebSockets open on this node, by Jetty's session id and by participant id. */
final class Connections {
    private final Map<String, Connection> bySession = new ConcurrentHashMap<>();
    private final Map<String, Connection> byPid = new ConcurrentHashMap<>();

    void add(String sessionId, Connection connection) {
        bySession.put(sessionId, connection);
        byPid.put(connection.pid(), connection);
    }

    /** Forgets the connection; returns it, or null if it was gone already (closing runs twice). */
    Connection remove(String sessionId) {
        Connection connection = bySession.remove(sessionId);
        if (connection != null) {
            byPid.remove(connection.pid(), connection);
        }
        return connection;
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

    Collection<Connection> all() {
        return bySession.values();
    }

    int size() {
        return bySession.size();
    }
}
