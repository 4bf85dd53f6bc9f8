package dev.myzoom.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Map;
import java.util.Set;

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
            Map.entry("resume", ClientMessage.Resume.class),
            Map.entry("media", ClientMessage.Media.class),
            Map.entry("signal", ClientMessage.Signal.class),
            Map.entry("lock", ClientMessage.Lock.class),
            Map.entry("history", ClientMessage.HistoryRequest.class),
            Map.entry("setPassword", ClientMessage.SetPassword.class),
            Map.entry("muteParticipant", ClientMessage.MuteParticipant.class),
            Map.entry("removeParticipant", ClientMessage.RemoveParticipant.class),
            Map.entry("publish", ClientMessage.Publish.class),
            Map.entry("unpublish", ClientMessage.Unpublish.class),
            Map.entry("trickle", ClientMessage.Trickle.class),
            Map.entry("subscriptionAnswer", ClientMessage.SubscriptionAnswer.class),
            Map.entry("view", ClientMessage.View.class),
            Map.entry("leaveSfu", ClientMessage.LeaveSfu.class),
            Map.entry("hand", ClientMessage.Hand.class),
            Map.entry("lowerHand", ClientMessage.LowerHand.class),
            Map.entry("react", ClientMessage.React.class),
            Map.entry("muteAll", ClientMessage.MuteAll.class),
            Map.entry("allowUnmute", ClientMessage.AllowUnmute.class),
            Map.entry("askToUnmute", ClientMessage.AskToUnmute.class),
            Map.entry("record", ClientMessage.Record.class));

    private static final Map<Class<? extends ClientMessage>, String> NAMES = TYPES.entrySet().stream()
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));

    /** Every client message type, for the test that keeps docs/protocol.md naming them all. */
    static Set<String> clientTypes() {
        return TYPES.keySet();
    }

    private final ObjectMapper mapper;
    private final ObjectWriter writer;

    public MessageCodec(ObjectMapper mapper) {
        // Clients may add fields we don't know yet; only a wrong shape of a known field is an error.
        this.mapper = mapper.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.writer = mapper.writer();
    }

    /** How far into a frame {@link #idOf} looks: clients put the id near the start. */
    static final int ID_SCAN_CHARS = 1024;

    /**
     * The request id of a frame, if it can be found in its first {@value #ID_SCAN_CHARS}
     * characters, so that even a bad or refused request gets a matching error. A streaming scan,
     * not a parse: it costs the same for a 64 KB frame as for a small one, and the nesting or
     * number limits that make a full parse fail do not hide an id that came before them.
     */
    public String idOf(String frame) {
        return fieldOf(frame, "id");
    }

    /** The {@code type} of a frame, found the way {@link #idOf} finds the id; null if not near the start. */
    public String typeOf(String frame) {
        return fieldOf(frame, "type");
    }

    private String fieldOf(String frame, String wanted) {
        String head = frame.length() > ID_SCAN_CHARS ? frame.substring(0, ID_SCAN_CHARS) : frame;
        try (JsonParser parser = mapper.getFactory().createParser(head)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (wanted.equals(field)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (java.io.IOException | RuntimeException e) {
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
