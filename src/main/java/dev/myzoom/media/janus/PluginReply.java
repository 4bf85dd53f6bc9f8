package dev.myzoom.media.janus;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A plugin's answer to a {@code message}: its data (VideoRoom: {@code {"videoroom":"created",…}}),
 * and the SDP it may carry (a publisher's answer, a subscriber's offer).
 */
public record PluginReply(JsonNode data, Optional<JsonNode> jsep) {
    /** The plugin's verb: VideoRoom's {@code videoroom} field ("created", "joined", "event", …). */
    public String verb(String field) {
        return data.path(field).asText("");
    }
}
