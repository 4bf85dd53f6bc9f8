package dev.myzoom.media.janus;

/**
 * A Janus request that failed, with the code that says why: Janus's own code (403 wrong or
 * missing API secret, 458 no such session, 459 no such handle, …), a plugin's {@code error_code}
 * (VideoRoom: 426 no such room, 427 room exists, 429 missing element, 433 unauthorized, …), or one
 * of the client's codes below for failures that never reached an answer. Callers branch on the
 * code, so that "room already exists" and "Janus is gone" are handled differently.
 */
public final class JanusException extends RuntimeException {
    /** No answer within the request timeout. */
    public static final int TIMEOUT = -1;
    /** The WebSocket closed (or could not be opened) before the answer came. */
    public static final int CLOSED = -2;
    /** Janus answered with something this client does not understand. */
    public static final int PROTOCOL = -3;

    private final int code;
    private final String reason;

    public JanusException(int code, String reason) {
        super("Janus error " + code + ": " + reason);
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /**
     * The JanusException behind a failed future's {@code CompletionException}, or a PROTOCOL one
     * for anything else, so that {@code join()} callers can read a code either way.
     */
    public static JanusException of(Throwable failure) {
        Throwable t = failure;
        while (t != null) {
            if (t instanceof JanusException e) {
                return e;
            }
            t = t.getCause();
        }
        return new JanusException(PROTOCOL, String.valueOf(failure));
    }
}
