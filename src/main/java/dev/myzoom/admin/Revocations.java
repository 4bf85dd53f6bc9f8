package dev.myzoom.admin;

/**
 * Where logged-out admin sessions are kept: in the database shared by every node, so that a
 * logout holds on all of them and after restarts. Sessions are named by the SHA-256 of their
 * cookie. Both methods throw {@link Unavailable} when the answer cannot be had now.
 */
public interface Revocations {
    void revoke(String sessionHash, long expiresAt);

    boolean revoked(String sessionHash);

    /** Whether a session is revoked cannot be told now (the database is down or slow). */
    final class Unavailable extends RuntimeException {
        public Unavailable(Throwable cause) {
            super("cannot reach the database to check admin sessions", cause);
        }
    }
}
