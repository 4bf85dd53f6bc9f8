package dev.myzoom.media.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A handle: one attachment of a session to a plugin, and (for VideoRoom) one PeerConnection. Its
 * plugin requests go through {@link #request}; later slices send join, publish, subscribe,
 * configure and the moderation requests this way.
 */
public final class JanusHandle {
    private final JanusSession session;
    private final long id;

    JanusHandle(JanusSession session, long id) {
        this.session = session;
        this.id = id;
    }

    public long id() {
        return id;
    }

    public JanusSession session() {
        return session;
    }

    /**
     * Sends {@code body} to the plugin, and completes with its answer: at once for a request the
     * plugin answers directly (VideoRoom: create, destroy, exists, listparticipants, kick,
     * moderate), or with the {@code event} that follows Janus's {@code ack} for one it handles
     * later (join, publish, configure, start, switch, leave). A plugin's {@code error_code}
     * fails the future with a {@link JanusException} of that code.
     */
    public CompletableFuture<PluginReply> request(ObjectNode body) {
        return request(body, null);
    }

    /** The same, with an SDP offer or answer ({@code {"type":"offer","sdp":"…"}}). */
    public CompletableFuture<PluginReply> request(ObjectNode body, JsonNode jsep) {
        ObjectNode message = request("message");
        message.set("body", body);
        if (jsep != null) {
            message.set("jsep", jsep);
        }
        return session.client().send(message, false).thenApply(JanusHandle::pluginReply);
    }

    /** A browser's ICE candidate ({@code {"candidate":…,"sdpMid":…}}, or {@code {"completed":true}}). */
    public CompletableFuture<Void> trickle(JsonNode candidate) {
        ObjectNode message = request("trickle");
        message.set("candidate", candidate);
        return session.client().send(message, true).thenApply(reply -> null);
    }

    /** Ends the handle's PeerConnection, keeping the handle. */
    public CompletableFuture<Void> hangup() {
        return session.client().send(request("hangup"), false).thenApply(reply -> null);
    }

    /** Detaches the handle from its plugin (a VideoRoom participant leaves). */
    public CompletableFuture<Void> detach() {
        session.forget(this);
        return session.client().send(request("detach"), false).thenApply(reply -> null);
    }

    private ObjectNode request(String verb) {
        return session.request(verb).put("handle_id", id);
    }

    private static PluginReply pluginReply(JsonNode message) {
        JsonNode data = message.path("plugindata").path("data");
        if (data.isMissingNode()) {
            throw new JanusException(JanusException.PROTOCOL, "a plugin answer without plugindata: " + message);
        }
        if (data.has("error_code")) {
            throw new JanusException(data.path("error_code").asInt(), data.path("error").asText("no reason given"));
        }
        return new PluginReply(data, Optional.ofNullable(message.get("jsep")));
    }
}
