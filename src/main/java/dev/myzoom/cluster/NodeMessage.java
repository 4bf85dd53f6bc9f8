package dev.myzoom.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.myzoom.protocol.ServerMessage.RoomCount;
import java.util.List;

/**
 * One message between nodes. Frames for browsers travel as they are, already encoded, so that a
 * room's home encodes a message once whatever node its members are on.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = NodeMessage.Deliver.class, name = "deliver"),
        @JsonSubTypes.Type(value = NodeMessage.Forward.class, name = "forward"),
        @JsonSubTypes.Type(value = NodeMessage.Gone.class, name = "gone"),
        @JsonSubTypes.Type(value = NodeMessage.Seated.class, name = "seated"),
        @JsonSubTypes.Type(value = NodeMessage.RoomChanged.class, name = "room"),
        @JsonSubTypes.Type(value = NodeMessage.AdminAction.class, name = "admin"),
        @JsonSubTypes.Type(value = NodeMessage.Rehome.class, name = "rehome"),
        @JsonSubTypes.Type(value = NodeMessage.Resume.class, name = "resume"),
        @JsonSubTypes.Type(value = NodeMessage.Resumed.class, name = "resumed"),
        @JsonSubTypes.Type(value = NodeMessage.Relay.class, name = "relay"),
        @JsonSubTypes.Type(value = NodeMessage.SocketClosed.class, name = "socketClosed"),
        @JsonSubTypes.Type(value = NodeMessage.CloseSocket.class, name = "closeSocket")})
public sealed interface NodeMessage {

    /** From a room's home to participants' node: send this frame to each of them. */
    record Deliver(List<String> pids, String frame) implements NodeMessage {}

    /** From a participant's node to a room's home: a request they sent, to be carried out there. */
    record Forward(String from, String pid, String address, String frame) implements NodeMessage {}

    /** From a participant's node to a room's home: they left ("left") or their connection closed. */
    record Gone(String pid, String reason) implements NodeMessage {}

    /** From a room's home ({@code node}) to a participant's node: they are now in {@code room} there, or in no room (null). */
    record Seated(String node, String pid, String room) implements NodeMessage {}

    /**
     * From a participant's node to a room's new home, after its old home died: seat them again,
     * as they were ({@code mode}: how their calls travel, "sfu" or "mesh").
     */
    record Rehome(String from, String pid, String address, String room, String nick,
            dev.myzoom.protocol.ServerMessage.MediaState media, String mode) implements NodeMessage {}

    /** To every node: a room's head count changed (for the room list). */
    record RoomChanged(RoomCount count) implements NodeMessage {}

    /**
     * From the node serving the admin panel to a room's home: "kick" {@code pid}, "close" the room
     * (with {@code text} as the notice), or send it a "notice".
     */
    record AdminAction(String action, String room, String pid, String text) implements NodeMessage {}

    /**
     * From the node a page reconnected to ({@code from}, its socket {@code socket} there) to the
     * node whose token it holds: make that socket the participant's. A frame for the socket is a
     * {@link Deliver} to {@code socket} as if it were a pid.
     */
    record Resume(String from, String socket, String token, long received, String id) implements NodeMessage {}

    /** The answer to {@link Resume}: the participant took the socket ({@code refusal} null), or why not. */
    record Resumed(String socket, String id, String refusal) implements NodeMessage {}

    /** From a page's node to its participant's node: a frame the page sent, as it came. */
    record Relay(String from, String socket, String frame) implements NodeMessage {}

    /** From a page's node to its participant's node: the page's socket closed with {@code status}. */
    record SocketClosed(String from, String socket, int status) implements NodeMessage {}

    /** From a participant's node to its page's node: close the page's socket. */
    record CloseSocket(String socket, int code, String reason) implements NodeMessage {}
}
