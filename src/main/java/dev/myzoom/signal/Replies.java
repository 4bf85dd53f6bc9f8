package dev.myzoom.signal;

import dev.myzoom.protocol.MessageCodec;
import dev.myzoom.protocol.ServerMessage;
import dev.myzoom.room.Room;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How anything the endpoint says reaches a client: encoded once, counted for /metrics, and, for
 * an error, logged (at most once a minute per client and code, see {@link Client#shouldLog}).
 * Every {@link Client} holds this, so that whoever handles a request answers it directly.
 */
final class Replies {
    private static final Logger events = LoggerFactory.getLogger("dev.myzoom.events");
    private final MessageCodec codec;
    private final Traffic traffic;
    private final String node;

    /** @param node this node's id, for the log line of a client connected here */
    Replies(MessageCodec codec, Traffic traffic, String node) {
        this.codec = codec;
        this.traffic = traffic;
        this.node = node;
    }

    void send(Client client, ServerMessage message) {
        if (message instanceof ServerMessage.Error error) {
            traffic.refused(error.code());
            if (client.shouldLog(error.code(), System.currentTimeMillis())) {
                Room room = client.room;
                events.info("event=error code={} pid={} room={} node={}", error.code(), client.pid(),
                        room == null ? "-" : room.name(), client.node() != null ? client.node() : node);
            }
        }
        client.send(codec.encode(message));
    }
}
