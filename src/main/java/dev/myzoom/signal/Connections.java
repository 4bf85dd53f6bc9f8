package dev.myzoom.signal;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSockets open on this node, by Jetty's session id, and their participants by pid
 * (including those whose socket dropped and who may still resume), and those whose page resumed
 * on another node, by that socket's key there.
 */
final class Connections {
    private final Map<String, Connection> bySession = new ConcurrentHashMap<>();
    private final Map<String, Connection> byPid = new ConcurrentHashMap<>();
    private final Map<String, Connection> byRemote = new ConcurrentHashMap<>();

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
        Connection.Remote remote = connection.remote();
        if (remote != null) {
            byRemote.remove(remoteKey(remote.node(), remote.key()), connection);
        }
    }

    /** The participant's page is now on a socket of another node. */
    void attachRemote(Connection.Remote socket, Connection connection) {
        byRemote.put(remoteKey(socket.node(), socket.key()), connection);
    }

    /** The participant whose page is on socket {@code key} of {@code node}, taken off it; null if none. */
    Connection detachRemote(String node, String key) {
        return byRemote.remove(remoteKey(node, key));
    }

    /** The participant whose page is on socket {@code key} of {@code node}; null if none. */
    Connection byRemote(String node, String key) {
        Connection c = byRemote.get(remoteKey(node, key));
        Connection.Remote now = c == null ? null : c.remote();
        // A participant that has since resumed elsewhere no longer answers to that socket.
        return now != null && now.node().equals(node) && now.key().equals(key) ? c : null;
    }

    /** The participants whose pages are on sockets of {@code node}, taken off them. */
    java.util.List<Connection> detachRemotes(String node) {
        java.util.List<Connection> found = new java.util.ArrayList<>();
        byRemote.entrySet().removeIf(e -> {
            boolean there = e.getKey().startsWith(node + "/");
            if (there) {
                found.add(e.getValue());
            }
            return there;
        });
        return found;
    }

    private static String remoteKey(String node, String key) {
        return node + "/" + key;
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
