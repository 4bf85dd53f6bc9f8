package dev.myzoom.media.janus;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Something Janus says without being asked: a plugin {@code event} (a VideoRoom participant
 * joined, published, left, is talking …), {@code webrtcup}, {@code media}, {@code slowlink},
 * {@code hangup}, {@code detached} for a handle, {@code timeout} for a session.
 *
 * @param type the message's {@code janus} field, e.g. "event" or "hangup"
 * @param session the session it concerns
 * @param handle the handle it concerns ({@code sender}), or 0 for a session event
 * @param data the plugin's data ({@code plugindata.data}), or a missing node when there is none
 * @param jsep an SDP that came with it (a subscriber's offer after an {@code update}, say)
 * @param message the whole message, for the fields a type has of its own ({@code reason},
 *     {@code mid}, {@code receiving}, …)
 */
public record JanusEvent(String type, long session, long handle, JsonNode data, Optional<JsonNode> jsep, JsonNode message) {}
