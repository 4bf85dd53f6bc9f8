package dev.myzoom.media.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The room-level requests of Janus's VideoRoom plugin, on one handle (the node's control handle).
 * A room is made with a {@code secret} only the servers hold, which every later room-level
 * request (destroy, kick, moderate, recording) must show; creating needs the plugin's
 * {@code admin_key} when Janus has one. Room ids are strings: the generated config sets
 * {@code string_ids}, since Janus's numeric ids are unsigned 64-bit.
 */
public final class VideoRoom {
    public static final String PLUGIN = "janus.plugin.videoroom";

    private final JanusHandle handle;
    private final Optional<String> adminKey;

    public VideoRoom(JanusHandle handle, Optional<String> adminKey) {
        this.handle = handle;
        this.adminKey = adminKey;
    }

    public JanusHandle handle() {
        return handle;
    }

    /** A request body: {@code {"request": request}}, to which the caller adds its fields. */
    public ObjectNode body(String request) {
        return handle.session().client().json().createObjectNode().put("request", request);
    }

    /**
     * Creates a room that lives only in memory ({@code permanent:false}) and is not listed to
     * anyone ({@code is_private}).
     *
     * @param options more room options (publishers, codecs, audiolevel_event, …), or null
     */
    public CompletableFuture<Void> create(String room, String secret, ObjectNode options) {
        ObjectNode body = body("create").put("room", room).put("secret", secret)
                .put("permanent", false).put("is_private", true);
        adminKey.ifPresent(key -> body.put("admin_key", key));
        if (options != null) {
            body.setAll(options);
        }
        return handle.request(body).thenApply(reply -> expect(reply, "created"));
    }

    public CompletableFuture<Boolean> exists(String room) {
        return handle.request(body("exists").put("room", room)).thenApply(reply -> reply.data().path("exists").asBoolean());
    }

    /** Destroys a room: its participants get a {@code destroyed} event and are dropped. */
    public CompletableFuture<Void> destroy(String room, String secret) {
        return handle.request(body("destroy").put("room", room).put("secret", secret))
                .thenApply(reply -> expect(reply, "destroyed"));
    }

    /** The room's participants ({@code listparticipants}): id, display, publisher, talking. */
    public CompletableFuture<JsonNode> participants(String room) {
        return handle.request(body("listparticipants").put("room", room))
                .thenApply(reply -> reply.data().path("participants"));
    }

    private static Void expect(PluginReply reply, String verb) {
        if (!verb.equals(reply.verb("videoroom"))) {
            throw new JanusException(JanusException.PROTOCOL, "expected \"" + verb + "\", got " + reply.data());
        }
        return null;
    }
}
