package dev.myzoom.protocol;

/** A request the server will not carry out; it becomes an {@code error} reply and the connection stays up. */
public final class Refusal extends RuntimeException {
    private final ErrorCode code;

    public Refusal(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
