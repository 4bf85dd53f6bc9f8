package dev.myzoom.signal;

import dev.myzoom.cluster.Bus;
import dev.myzoom.cluster.NodeMessage;
import dev.myzoom.room.Room;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A participant connected to another node, in a room that lives here. What the room sends them
 * goes to their node, which passes it on to their WebSocket.
 */
final class RemoteClient extends Client {
    private static final Logger log = LoggerFactory.getLogger(RemoteClient.class);

    private final String node;
    private final String address;
    private final Bus bus;
    private final NodeOutbox outbox;
    /** Their node's messages about them, in order; see ClusterRelay#inLane. */
    final RequestLane lane;
    /** How many of those are queued or running; read and changed only in ClusterRelay's map's compute. */
    int queued;

    RemoteClient(String pid, Replies replies, String node, String address, Bus bus, NodeOutbox outbox, RequestLane lane) {
        super(pid, replies);
        this.lane = lane;
        this.node = node;
        this.address = address;
        this.bus = bus;
        this.outbox = outbox;
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    String address() {
        return address;
    }

    @Override
    public void send(String frame) {
        outbox.send(pid(), frame);
    }

    /** Tells their node that they are in {@code room} here now, or in no room (null). */
    void seated(String room) {
        try {
            bus.send(node, new NodeMessage.Seated(bus.node(), pid(), room));
        } catch (Bus.Unavailable e) {
            log.debug("could not tell node {} where {} sits: {}", node, pid(), e.getMessage());
        }
    }

    @Override
    public void evicted(Room from) {
        if (room == from) {
            room = null;
            seated(null);
        }
    }
}
