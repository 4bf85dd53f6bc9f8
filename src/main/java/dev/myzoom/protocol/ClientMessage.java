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
    /**
     * {@code lineId} (optional) is the page's own id for the line, the same each time it sends
     * that line again: a line whose ack was lost is then stored and shown once.
     */
    record Chat(String id, String text, String lineId) implements ClientMessage {
        private static final java.util.regex.Pattern LINE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{8,64}");

        public Chat {
            required(id, "id");
            required(text, "text");
            if (lineId != null && !LINE_ID.matcher(lineId).matches()) {
                throw new Refusal(ErrorCode.INVALID_LINE_ID, "lineId must be 8 to 64 letters, digits, '-' or '_'");
            }
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

    /**
     * First on a new connection after the last one dropped: come back as the participant the
     * token was given to, and get the frames after the first {@code received} of theirs.
     */
    record Resume(String id, String token, long received) implements ClientMessage {
        public Resume {
            required(id, "id");
            required(token, "token");
        }
    }

    /** Heartbeat from the client; the ack proves the server is still there. */
    record Ping(String id) implements ClientMessage {
        public Ping {
            required(id, "id");
        }
    }

    /**
     * SFU only: send your media to the media server. {@code pc} is "camera" (microphone and
     * camera, the camera in simulcast layers) or "screen"; the ack carries Janus's answer.
     */
    record Publish(String id, String pc, JsonNode offer) implements ClientMessage {
        public Publish {
            required(id, "id");
            required(pc, "pc");
            required(offer, "offer");
            if (!pc.equals("camera") && !pc.equals("screen")) {
                throw new Refusal(ErrorCode.BAD_JSON, "field \"pc\" must be \"camera\" or \"screen\"");
            }
            sdpOf(offer, "offer");
        }
    }

    /** SFU only: stop sending a publisher connection ("screen" when the share ends). */
    record Unpublish(String id, String pc) implements ClientMessage {
        public Unpublish {
            required(id, "id");
            required(pc, "pc");
            if (!pc.equals("camera") && !pc.equals("screen")) {
                throw new Refusal(ErrorCode.BAD_JSON, "field \"pc\" must be \"camera\" or \"screen\"");
            }
        }
    }

    /**
     * SFU only: one of your ICE candidates for the media server, on the connection {@code pc}
     * ("camera", "screen" or "subscriber"); no candidate means gathering is complete.
     */
    record Trickle(String id, String pc, JsonNode candidate) implements ClientMessage {
        public Trickle {
            required(id, "id");
            required(pc, "pc");
            if (!pc.equals("camera") && !pc.equals("screen") && !pc.equals("subscriber")) {
                throw new Refusal(ErrorCode.BAD_JSON, "field \"pc\" must be \"camera\", \"screen\" or \"subscriber\"");
            }
            if (candidate != null && (candidate.isNull() || candidate.isMissingNode())) {
                candidate = null;
            }
            if (candidate != null && !candidate.isObject()) {
                throw new Refusal(ErrorCode.BAD_JSON, "field \"candidate\" must be an object");
            }
        }
    }

    /** SFU only: your answer to the latest {@code subscription} offer. */
    record SubscriptionAnswer(String id, JsonNode answer) implements ClientMessage {
        public SubscriptionAnswer {
            required(id, "id");
            required(answer, "answer");
            sdpOf(answer, "answer");
        }
    }

    /** SFU only: how tall (in device pixels) each remote camera is shown, so that each gets the layer that fits. */
    record View(String id, java.util.List<TileView> tiles) implements ClientMessage {
        public View {
            required(id, "id");
            required(tiles, "tiles");
            if (tiles.size() > 1000) {
                throw new Refusal(ErrorCode.TOO_LARGE, "at most 1000 tiles");
            }
        }
    }

    /** One remote camera on screen: whose, and its height in device pixels (0: not visible). */
    record TileView(String pid, Integer height) {
        public TileView {
            required(pid, "pid");
            required(height, "height");
        }
    }

    /** SFU only: your calls left the media server (the room went back to the mesh). */
    record LeaveSfu(String id) implements ClientMessage {
        public LeaveSfu {
            required(id, "id");
        }
    }

    /** Raise your hand, or lower it. */
    record Hand(String id, Boolean raised) implements ClientMessage {
        public Hand {
            required(id, "id");
            required(raised, "raised");
        }
    }

    /** Host only: lower someone's raised hand. */
    record LowerHand(String id, String pid) implements ClientMessage {
        public LowerHand {
            required(id, "id");
            required(pid, "pid");
        }
    }

    /** A reaction, one of {@link #REACTIONS}, shown over your tile to everyone for a moment. */
    record React(String id, String emoji) implements ClientMessage {
        public React {
            required(id, "id");
            required(emoji, "emoji");
            if (!REACTIONS.contains(emoji)) {
                throw new Refusal(ErrorCode.INVALID_REACTION, "a reaction is one of " + String.join(" ", REACTIONS));
            }
        }
    }

    /** The reactions there are: few, so that a page can show them all as buttons. */
    java.util.List<String> REACTIONS = java.util.List.of("\uD83D\uDC4D", "\uD83D\uDC4F", "\uD83D\uDE02", "\u2764\uFE0F",
            "\uD83C\uDF89", "\uD83D\uDE2E");

    /** Host only: turn everyone else's microphone off; with {@code lock}, they may not turn it on again themselves. */
    record MuteAll(String id, Boolean lock) implements ClientMessage {
        public MuteAll {
            required(id, "id");
            lock = lock != null && lock;
        }
    }

    /** Host only: let people turn their microphones on themselves again, or not. */
    record AllowUnmute(String id, Boolean allowed) implements ClientMessage {
        public AllowUnmute {
            required(id, "id");
            required(allowed, "allowed");
        }
    }

    /** Host only: ask someone to turn their microphone on; they decide. */
    record AskToUnmute(String id, String pid) implements ClientMessage {
        public AskToUnmute {
            required(id, "id");
            required(pid, "pid");
        }
    }

    /**
     * Host only: start ({@code on}) or stop recording the meeting. A room whose calls go browser
     * to browser moves to the media server first, since that is where the recording is made.
     */
    record Record(String id, Boolean on) implements ClientMessage {
        public Record {
            required(id, "id");
            required(on, "on");
        }
    }

    /** The SDP text of an offer or answer ({@code {"type":…,"sdp":"…"}}); a coded refusal if it is not one. */
    private static String sdpOf(JsonNode description, String field) {
        JsonNode sdp = description.path("sdp");
        if (!description.isObject() || !sdp.isTextual() || !sdp.asText().startsWith("v=0")
                || !field.equals(description.path("type").asText())) {
            throw new Refusal(ErrorCode.BAD_SDP, "field \"" + field + "\" must be {\"type\":\"" + field + "\",\"sdp\":\"v=0…\"}");
        }
        return sdp.asText();
    }

    private static void required(Object value, String field) {
        if (value == null) {
            throw new Refusal(ErrorCode.MISSING_FIELD, "field \"" + field + "\" is required");
        }
    }
}
