package dev.myzoom.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a browser may send on {@code /ws}. Every request carries an {@code id} chosen by the client;
 * the reply ({@code ack} or {@code error}) repeats it. The records check their own required fields,
 * so a message that parsed is a message that can be handled.
 */
public sealed interface ClientMessage {
    String id();

    /**
     * Enter a room (leaving the current one, if any), saying which media you bring. A room with a
     * password needs {@code password}; a {@code ticket} from an earlier join to the same room lets
     * you back in after a dropped connection even when it has been locked since.
     */
    record Join(String id, String room, String nick, ServerMessage.MediaState media, String password, String ticket,
            String clientId, JsonNode offer, boolean unlisted) implements ClientMessage {
        public Join {
            required(id, "id");
            required(room, "room");
            required(nick, "nick");
            media = media == null ? ServerMessage.MediaState.NONE : media;
            // The browser's own id (kept in localStorage), so that someone removed by the
            // administrator is not let straight back in from another tab. Anything else is ignored.
            if (clientId != null && !clientId.matches("[A-Za-z0-9-]{8,64}")) {
                clientId = null;
            }
            // The first call's offer, made on the pre-join screen: sent with the join, it reaches
            // the other side a whole round trip sooner than a signal sent after the ack.
            if (offer != null && (offer.isNull() || offer.isMissingNode())) {
                offer = null;
            }
            if (offer != null && !offer.isObject()) {
                throw new Refusal(ErrorCode.BAD_JSON, "field \"offer\" must be an object");
            }
            // unlisted: a room opened by this join is left out of the room list. Only the join
            // that opens the room decides; anyone with the link can still come in.
        }
    }

    /** Host only: lock the room (nobody new may enter) or unlock it. */
    record Lock(String id, Boolean locked) implements ClientMessage {
        public Lock {
            required(id, "id");
            required(locked, "locked");
        }
    }

    /** Host only: set the room's password, or remove it with null or "". */
    record SetPassword(String id, String password) implements ClientMessage {
        public SetPassword {
            required(id, "id");
        }
    }

    /** Host only: turn off someone's microphone; they are told who did it. */
    record MuteParticipant(String id, String pid) implements ClientMessage {
        public MuteParticipant {
            required(id, "id");
            required(pid, "pid");
        }
    }

    /** Host only: send someone out of the room. */
    record RemoveParticipant(String id, String pid) implements ClientMessage {
        public RemoveParticipant {
            required(id, "id");
            required(pid, "pid");
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

    /** Older chat lines of your room, before the line {@code before} (a msgId); at most {@code limit}. */
    record HistoryRequest(String id, Long before, Integer limit) implements ClientMessage {
        public HistoryRequest {
            required(id, "id");
            required(before, "before");
            limit = limit == null ? 50 : Math.max(1, Math.min(limit, 200));
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
