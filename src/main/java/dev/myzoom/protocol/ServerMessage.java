package dev.myzoom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** What the server sends on {@code /ws}. Each record names its wire {@code type}. */
@JsonPropertyOrder({"type", "id"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ServerMessage {
    @JsonProperty("type")
    String type();

    /** Whether a participant's microphone and camera are on and whether they share their screen. */
    record MediaState(boolean audio, boolean video, boolean screen) {
        public static final MediaState NONE = new MediaState(false, false, false);
    }

    /** A person as others see them. */
    record Person(String pid, String nick, MediaState media) {}

    /** One entry of RTCConfiguration.iceServers, passed to the browser as it is. */
    record IceServer(List<String> urls, String username, String credential) {}

    /**
     * How the browser should set up its calls: which ICE servers to use, whether only through a
     * relay, how the room's calls travel ({@code mode}: "mesh" or "sfu"; only in a join's ack),
     * and whether a media server is there for rooms beyond the mesh's cap ({@code sfu}).
     */
    record CallSettings(List<IceServer> iceServers, String iceTransportPolicy, String mode, Boolean sfu) {
        public CallSettings(List<IceServer> iceServers, String iceTransportPolicy) {
            this(iceServers, iceTransportPolicy, null, null);
        }

        public CallSettings withMode(String newMode, boolean sfuThere) {
            return new CallSettings(iceServers, iceTransportPolicy, newMode, sfuThere);
        }
    }

    /** An open room, how many people are in it and whether it is locked or has a password; a count of 0 means it closed. */
    record RoomCount(String room, int count, boolean locked) {}

    /** The limits a client should respect, so that it can refuse bad input before sending it. */
    record Limits(int maxFrameBytes, int maxChatLength, int maxNicknameLength, int maxRoomNameLength,
            int maxParticipants, int maxVideoHeight, long heartbeatMs) {
        /** The same limits with the room cap as it is now (it depends on whether the SFU answers). */
        public Limits withMaxParticipants(int cap) {
            return new Limits(maxFrameBytes, maxChatLength, maxNicknameLength, maxRoomNameLength, cap, maxVideoHeight, heartbeatMs);
        }
    }

    /**
     * First message on every connection. It carries the call settings too, so that a browser can
     * prepare its first peer connection on the pre-join screen; the join reply repeats them.
     */
    /**
     * The first frame of every connection. {@code resume} is this participant's resume token:
     * after a dropped connection, send it in a {@code resume} to come back as the same pid.
     */
    record Welcome(String pid, String resume, Limits limits, CallSettings call) implements ServerMessage {
        public String type() { return "welcome"; }
    }

    /** Reply to resume: you are {@code pid} again, and {@code resume} is your next token. */
    record ResumeAck(String id, String pid, String resume) implements ServerMessage {
        public String type() { return "ack"; }
    }

    /** Reply to leave, unwatchRooms and ping. */
    record Ack(String id) implements ServerMessage {
        public String type() { return "ack"; }
    }

    /** Reply to join: who you are in the room, who else is there, and how to call them. */
    record JoinAck(String id, String room, Person you, List<Person> participants, int count, CallSettings call,
            String host, boolean locked, boolean hasPassword, String ticket, String offeredTo, List<String> hands,
            boolean micsLocked, Recording recording) implements ServerMessage {
        public String type() { return "ack"; }
    }

    /**
     * Whether the meeting is being recorded: by whom ({@code by}, a nickname) and since when
     * (epoch ms) while it is; when it stops, who stopped it (null if it stopped by itself) and,
     * if it stopped by itself, why ({@code reason}: {@code disk_full}, {@code media_failed},
     * {@code room_closed}).
     */
    record Recording(boolean on, String by, long since, String reason) implements ServerMessage {
        public String type() { return "recording"; }
    }

    /** To the host: how far the recording's file has been made, in percent. */
    record RecordingProgress(String recording, int percent) implements ServerMessage {
        public String type() { return "recordingProgress"; }
    }

    /**
     * To the host: the recording's file is ready. {@code url} is a signed link that works until
     * {@code expires} (epoch ms) with no login; {@code failed} says why there is no file instead.
     */
    record RecordingReady(String recording, String url, long expires, long durationMs, long bytes, String failed)
            implements ServerMessage {
        public String type() { return "recordingReady"; }
    }

    /** Reply to chat: the message was accepted under this id at this server time. */
    record ChatAck(String id, long msgId, long ts) implements ServerMessage {
        public String type() { return "ack"; }
    }

    /** Reply to rename, with the nickname as others will see it. */
    record RenameAck(String id, String nick) implements ServerMessage {
        public String type() { return "ack"; }
    }

    /** Reply to watchRooms: every open room right now. */
    record RoomsAck(String id, List<RoomCount> rooms) implements ServerMessage {
        public String type() { return "ack"; }
    }

    /** A refused request. {@code id} is absent when the request could not be read far enough to find it. */
    record Error(String id, String code, String message) implements ServerMessage {
        public String type() { return "error"; }
    }

    /** Someone else's chat message. */
    record ChatMessage(long msgId, String pid, String nick, String text, long ts) implements ServerMessage {
        public String type() { return "chat"; }
    }

    /** @param offer the newcomer's first call, only for the one it is meant for (see join's offer) */
    record Joined(String pid, String nick, MediaState media, int count, JsonNode offer) implements ServerMessage {
        public String type() { return "joined"; }
    }

    /** {@code reason} is "left", "disconnected" or "removed". */
    record Left(String pid, String nick, int count, String reason) implements ServerMessage {
        public String type() { return "left"; }
    }

    record Renamed(String pid, String oldNick, String nick, int count) implements ServerMessage {
        public String type() { return "renamed"; }
    }

    /** The room has a new host (the first one left). */
    record HostChanged(String pid) implements ServerMessage {
        public String type() { return "host"; }
    }

    /**
     * The host locked or unlocked the room, set or removed its password, or decided whether
     * people may unmute themselves ({@code micsLocked}: only the host lets them).
     */
    record RoomSettings(boolean locked, boolean hasPassword, boolean micsLocked) implements ServerMessage {
        public String type() { return "settings"; }
    }

    /**
     * To one participant: the host turned your microphone off; with {@code locked}, you may not
     * turn it on again until the host allows it or asks you to.
     */
    record MutedByHost(String by, Boolean locked) implements ServerMessage {
        public String type() { return "mutedByHost"; }
    }

    /**
     * To one participant: you are out of the room. {@code by} is the host's pid, or "admin" for the
     * server's administrator; {@code reason} is "closed" when the administrator closed the room.
     */
    record Removed(String by, String reason) implements ServerMessage {
        public String type() { return "removed"; }
    }

    /** To everyone in a room: a notice from the server's administrator. */
    record Notice(String text) implements ServerMessage {
        public String type() { return "notice"; }
    }

    /** A participant turned their microphone, camera or screen share on or off. */
    record MediaChanged(String pid, boolean audio, boolean video, boolean screen) implements ServerMessage {
        public String type() { return "media"; }
    }

    /** WebRTC signaling (an SDP description or an ICE candidate) relayed from another participant. */
    record Signal(String from, JsonNode data) implements ServerMessage {
        public String type() { return "signal"; }
    }

    /** A stored chat line, as history shows it. */
    record HistoryLine(long msgId, String pid, String nick, String text, long ts) {}

    /** The room's chat before you came, oldest first; {@code unavailable} if the database could not be read. */
    record History(List<HistoryLine> messages, boolean unavailable) implements ServerMessage {
        public String type() { return "history"; }
    }

    /**
     * Reply to a history request: older lines, oldest first. {@code more} is false once the start
     * of the room's chat is reached; a reply may hold fewer lines than asked and still have more
     * (it is capped in bytes too), so clients page by {@code more}, not by the count.
     */
    record HistoryAck(String id, List<HistoryLine> messages, boolean more) implements ServerMessage {
        public String type() { return "ack"; }
    }

    /** Room-list changes since the last update, gathered over a short window. */
    record RoomsChanged(List<RoomCount> changes) implements ServerMessage {
        public String type() { return "rooms"; }
    }

    /** The room's calls move: "mesh" (browser to browser) or "sfu" (through the media server). */
    record CallMode(String mode) implements ServerMessage {
        public String type() { return "mode"; }
    }

    /** One remote track of the subscriber connection: its m-line, whose it is, and which of theirs. */
    record SubscribedStream(String mid, String pid, String slot) {}

    /** The media server's offer for your subscriber connection, and what each of its m-lines carries. */
    record Subscription(JsonNode offer, List<SubscribedStream> streams) implements ServerMessage {
        public String type() { return "subscription"; }
    }

    /** Reply to publish: the media server's answer. */
    record PublishAck(String id, JsonNode answer) implements ServerMessage {
        public String type() { return "ack"; }
    }

    /** The media server dropped your connections (it restarted, or the server lost it): publish again. */
    record SfuReset(String reason) implements ServerMessage {
        public String type() { return "sfuReset"; }
    }

    /** The raised hands of the room, in the order they went up. */
    record Hands(List<String> pids) implements ServerMessage {
        public String type() { return "hands"; }
    }

    /** Someone reacted: their emoji floats over their tile for a moment. */
    record Reaction(String pid, String emoji) implements ServerMessage {
        public String type() { return "reaction"; }
    }

    /**
     * In a room on the media server: who is talking now, from the media server's audio levels,
     * sent when that changes, at most once per 250 ms. Your own pid is among them when you talk.
     */
    record Speaking(List<String> talking) implements ServerMessage {
        public String type() { return "speaking"; }
    }

    /**
     * In a room of ten or more: the comings, goings and media changes of the last 150 ms, in the
     * order they happened, each as the message it would have been alone ({@code joined},
     * {@code left}, {@code media}).
     */
    record Roster(List<ServerMessage> changes) implements ServerMessage {
        public String type() { return "roster"; }
    }

    /**
     * The node that held your room died and another took it over: the room as it is now, once
     * everyone still connected is back in it. Whoever is not in {@code participants} has left.
     */
    record Rehomed(List<Person> participants, int count, String host, boolean locked, boolean hasPassword,
            List<String> hands, boolean micsLocked) implements ServerMessage {
        public String type() { return "rehomed"; }
    }

    /** To one participant: the host asks you to turn your microphone on; it stays off unless you do. */
    record UnmuteRequest(String by) implements ServerMessage {
        public String type() { return "unmuteRequest"; }
    }
}
