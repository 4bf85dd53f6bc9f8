package dev.myzoom.cluster;

import dev.myzoom.protocol.ServerMessage.RoomCount;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the nodes of a cluster say to each other, and what they know together. Each room lives on
 * one node, its home: the node that first had someone enter it. A participant connected to
 * another node reaches the room through its home, and the home reaches them through their node.
 * {@link LocalBus} is a cluster of one; {@link RedisBus} shares all this through Redis.
 */
public interface Bus extends AutoCloseable {

    /** Receives what other nodes send to this one. Called on one thread, in the order sent. */
    interface Listener {
        void received(NodeMessage message);

        /** A node stopped beating: its participants and the rooms it was home to are gone. */
        default void nodeGone(String node) {}
    }

    /** This node's id. */
    String node();

    /** Adds a listener; every listener hears every message. */
    void listen(Listener listener);

    /**
     * Sends to one node; messages from this node to that node arrive in the order sent.
     *
     * @return completes with whether the node got it: false if nobody was listening (it just
     *     reconnected to Redis, say) or the bus failed on the way
     * @throws Unavailable if the bus cannot carry it now
     */
    CompletionStage<Boolean> send(String node, NodeMessage message);

    /** The home of {@code room}: the node that holds it, which becomes this one if no live node does. */
    String claim(String room);

    /** Where rooms' media lives among the Janus instances, as the whole cluster agrees. */
    dev.myzoom.media.sfu.Placements placements();

    /**
     * What a room's host decided and who asked to speak, kept where another node can read it if
     * the room's node dies: the host, the lock, the raised hands in order, whether only the host
     * lets people unmute, the recording running (null if none), and the tickets back in.
     */
    record RoomState(String host, boolean locked, java.util.List<String> hands, boolean micsLocked, Recorded recording,
            java.util.List<KeptTicket> tickets) {}

    /** A ticket back into a room, as a takeover keeps it: its SHA-256, whose it is, and until when (ms). */
    record KeptTicket(String digest, String pid, long expiry) {}

    /** A recording running in a room: its id, the nickname that started it, and since when (ms). */
    record Recorded(String id, String by, long since) {}

    /** Keeps the room's state for a takeover (a cluster only; alone, nothing to do). */
    void keepState(String room, RoomState state);

    /** The room's state as its last home kept it, if it kept any. */
    java.util.Optional<RoomState> state(String room);

    /** This node no longer holds {@code room} (it closed). */
    void release(String room);

    /**
     * Tells the cluster a room's new head count (0 when it closed), for the room list; a room
     * that is not {@code listed} is only recorded as held here.
     */
    void roomChanged(RoomCount count, boolean listed);

    /** Every listed open room in the cluster. */
    List<RoomCount> rooms();

    /**
     * Shares this node's report (what the admin panel shows of it), replacing its last one; it
     * expires with the node.
     */
    void share(String report);

    /** The live nodes' last reports. */
    List<String> reports();

    /** Whether the bus works now; a node whose bus is down serves only the rooms it holds. */
    boolean reachable();

    @Override
    void close();

    /** The bus cannot carry a message now (Redis is down, say). */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }
}
