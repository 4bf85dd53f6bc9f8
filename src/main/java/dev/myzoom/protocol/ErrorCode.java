package dev.myzoom.protocol;

/** The stable codes of error replies. The page translates them; the human message is for logs and tools. */
public enum ErrorCode {
    BAD_JSON("bad_json"),
    UNKNOWN_TYPE("unknown_type"),
    MISSING_FIELD("missing_field"),
    INVALID_ROOM("invalid_room"),
    INVALID_NICKNAME("invalid_nickname"),
    MESSAGE_TOO_LONG("message_too_long"),
    EMPTY_MESSAGE("empty_message"),
    INVALID_TEXT("invalid_text"),
    INVALID_LINE_ID("invalid_line_id"),
    NOT_IN_ROOM("not_in_room"),
    ROOM_FULL("room_full"),
    UNKNOWN_PEER("unknown_peer"),
    ROOM_LOCKED("room_locked"),
    PASSWORD_REQUIRED("password_required"),
    WRONG_PASSWORD("wrong_password"),
    TOO_MANY_ATTEMPTS("too_many_attempts"),
    INVALID_PASSWORD("invalid_password"),
    NOT_HOST("not_host"),
    RATE_LIMITED("rate_limited"),
    STORE_UNAVAILABLE("store_unavailable"),
    UNAVAILABLE("unavailable"),
    REMOVED("removed"),
    TOO_LARGE("too_large"),
    BAD_SDP("bad_sdp"),
    NOT_SFU("not_sfu"),
    MEDIA_UNAVAILABLE("media_unavailable"),
    INVALID_REACTION("invalid_reaction"),
    MIC_LOCKED("mic_locked"),
    RESUME_FAILED("resume_failed"),
    RECORDING_UNAVAILABLE("recording_unavailable"),
    DISK_FULL("disk_full"),
    INTERNAL("internal");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
