package dev.myzoom.signal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a browser may send on {@code /ws}. Every request carries an {@code id} chosen by the client;
 * the reply ({@code ack} or {@code error}) repeats it. The records check their own required fields,
 * so a message that parsed is a message that can be handled.
 */
public sealed interface ClientMessage {
    String id();

    /** Enter a room (leaving the current one, if any), saying which media you bring. */
    record Join(String id, String room, String nick, ServerMessage.MediaState media) implements ClientMessage {
        public Join {
            required(id, "id");
            required(room, "room");
            required(nick, "nick");
            media = media == null ? ServerMessage.MediaState.NONE : media;
        }
    }

    /** Tell the room your microphone, camera or screen share changed. */
    record Media(String id, Boolean audio, Boolean video, Boolean screen) implements ClientMessage {
        public Media {
            required(id, "id");
            required(audio, "audio");
            required(video, "video");
            required(screen, "screen");
        }
    }

    /**
     * WebRTC signaling for one other participant of your room: {@code data} holds an SDP
     * {@code description} or an ICE {@code candidate} and is passed on untouched.
     */
    record Signal(String id, String to, JsonNode data) implements ClientMessage {
        public Signal {
            required(id, "id");
            required(to, "to");
            required(data, "data");
            if (!data.isObject()) {
                throw new Refusal(ErrorCode.BAD_JSON, "field \"data\" must be an object");
            }
        }
    }

    /** Leave the current room. */
    record Leave(String id) implements ClientMessage {
        public Leave {
            required(id, "id");
        }
    }

    /** Say something to everyone else in the room. */
    record Chat(String id, String text) implements ClientMessage {
        public Chat {
            required(id, "id");
            required(text, "text");
        }
    }

    /** Change your nickname in the current room. */
    record Rename(String id, String nick) implements ClientMessage {
        public Rename {
            required(id, "id");
            required(nick, "nick");
        }
    }

    /** Start receiving the list of open rooms: a snapshot in the ack, then {@code rooms} deltas. */
    record WatchRooms(String id) implements ClientMessage {
        public WatchRooms {
            required(id, "id");
        }
    }

    /** Stop receiving room-list deltas. */
    record UnwatchRooms(String id) implements ClientMessage {
        public UnwatchRooms {
            required(id, "id");
        }
    }

    /** Heartbeat from the client; the ack proves the server is still there. */
    record Ping(String id) implements ClientMessage {
        public Ping {
            required(id, "id");
        }
    }

    private static void required(Object value, String field) {
        if (value == null) {
            throw new Refusal(ErrorCode.MISSING_FIELD, "field \"" + field + "\" is required");
        }
    }
}
