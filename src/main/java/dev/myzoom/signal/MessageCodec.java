package dev.myzoom.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Map;

/** Turns frames into {@link ClientMessage}s and {@link ServerMessage}s into frames. */
public final class MessageCodec {
    private static final Map<String, Class<? extends ClientMessage>> TYPES = Map.ofEntries(
            Map.entry("join", ClientMessage.Join.class),
            Map.entry("leave", ClientMessage.Leave.class),
            Map.entry("chat", ClientMessage.Chat.class),
            Map.entry("rename", ClientMessage.Rename.class),
            Map.entry("watchRooms", ClientMessage.WatchRooms.class),
            Map.entry("unwatchRooms", ClientMessage.UnwatchRooms.class),
            Map.entry("ping", ClientMessage.Ping.class),
            Map.entry("media", ClientMessage.Media.class),
            Map.entry("signal", ClientMessage.Signal.class),
            Map.entry("lock", ClientMessage.Lock.class),
            Map.entry("history", ClientMessage.HistoryRequest.class),
            Map.entry("setPassword", ClientMessage.SetPassword.class),
            Map.entry("muteParticipant", ClientMessage.MuteParticipant.class),
            Map.entry("removeParticipant", ClientMessage.RemoveParticipant.class));

    private static final Map<Class<? extends ClientMessage>, String> NAMES = TYPES.entrySet().stream()
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));

    private final ObjectMapper mapper;
    private final ObjectWriter writer;

    public MessageCodec(ObjectMapper mapper) {
        // Clients may add fields we don't know yet; only a wrong shape of a known field is an error.
        this.mapper = mapper.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.writer = mapper.writer();
    }

    /** The request id of a frame, if it can be found, so that even a bad request gets a matching error. */
    public String idOf(String frame) {
        try {
            JsonNode id = mapper.readTree(frame).get("id");
            return id != null && id.isTextual() ? id.asText() : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    public ClientMessage decode(String frame) {
        JsonNode tree;
        try {
            tree = mapper.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new Refusal(ErrorCode.BAD_JSON, "not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new Refusal(ErrorCode.BAD_JSON, "a message must be a JSON object");
        }
        JsonNode type = tree.get("type");
        if (type == null || !type.isTextual()) {
            throw new Refusal(ErrorCode.MISSING_FIELD, "field \"type\" is required");
        }
        Class<? extends ClientMessage> target = TYPES.get(type.asText());
        if (target == null) {
            throw new Refusal(ErrorCode.UNKNOWN_TYPE, "unknown message type \"" + type.asText() + "\"");
        }
        try {
            return mapper.treeToValue(tree, target);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof Refusal refusal) {
                throw refusal;
            }
            throw new Refusal(ErrorCode.BAD_JSON, e.getOriginalMessage());
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "?" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw new Refusal(ErrorCode.BAD_JSON, "field \"" + field + "\" has the wrong type");
        } catch (JsonProcessingException e) {
            throw new Refusal(ErrorCode.BAD_JSON, e.getOriginalMessage());
        }
    }

    /** The wire type of a decoded message, e.g. "chat". */
    public static String typeOf(ClientMessage message) {
        return NAMES.get(message.getClass());
    }

    public String encode(ServerMessage message) {
        try {
            return writer.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.type(), e);
        }
    }
}
