package dev.myzoom.signal;

import dev.myzoom.protocol.RandomIds;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resume tokens of this node's participants. A token is good for one resume: the page gets a
 * new one with each, and a participant's token dies when it leaves for good (its socket closed
 * outside a room, or the wait for a resume ran out). A token begins with the node's id, so that a
 * page that comes back to another node of the cluster can be sent on to this one.
 */
final class Resumes {
    private final Map<String, Connection> byToken = new ConcurrentHashMap<>();
    private final String node;

    Resumes(String node) {
        this.node = node;
    }

    /** The node that gave out {@code token} (this one for a token without a node). */
    String nodeOf(String token) {
        int dot = token == null ? -1 : token.lastIndexOf('.');
        return dot > 0 ? token.substring(0, dot) : node;
    }

    /** A new token for the participant; the one it had no longer works. */
    String issue(Connection c) {
        revoke(c);
        String token = node + "." + RandomIds.hex(16);
        c.resumeToken = token;
        byToken.put(token, c);
        return token;
    }

    /** The participant the token is for, taken out so that the token works once; null if none. */
    Connection take(String token) {
        Connection c = token == null ? null : byToken.remove(token);
        if (c != null) {
            c.resumeToken = null;
        }
        return c;
    }

    /** The participants that wait for a resume now. */
    java.util.List<Connection> waiting() {
        return byToken.values().stream().filter(Connection::detached).toList();
    }

    /** The participant's token no longer works. */
    void revoke(Connection c) {
        String token = c.resumeToken;
        c.resumeToken = null;
        if (token != null) {
            byToken.remove(token, c);
        }
    }

    /** Ends {@code token} if it is still the participant's: true if nobody resumed with it meanwhile. */
    boolean expire(String token, Connection c) {
        if (byToken.remove(token, c)) {
            c.resumeToken = null;
            return true;
        }
        return false;
    }
}
