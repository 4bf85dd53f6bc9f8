package dev.myzoom.media.janus;

/**
 * Receives a session's or a handle's events, in the order Janus sent them, on the client's one
 * thread. It must not block (no {@code join()} on a Janus request): every other event and every
 * answer of that connection waits behind it.
 */
@FunctionalInterface
public interface JanusListener {
    JanusListener IGNORE = event -> { };

    void onEvent(JanusEvent event);
}
