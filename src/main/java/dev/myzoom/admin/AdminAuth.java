package dev.myzoom.admin;

import dev.myzoom.room.AttemptLimit;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use the admin panel: whoever knows {@code ADMIN_PASSWORD}. A login makes a session,
 * kept here (a restart logs everyone out), with its own token against cross-site requests.
 * Wrong passwords are throttled per client address.
 */
public final class AdminAuth {
    /** A logged-in administrator: the cookie's value, the CSRF token and when the session ends. */
    public record Session(String id, String csrf, long expiresAt) {}

    /** How login went; a session only when it is OK. */
    public enum Outcome { OK, WRONG, THROTTLED }

    public record Login(Outcome outcome, Session session) {}

    public static final Duration SESSION_LENGTH = Duration.ofHours(8);
    private final String password;
    private final AttemptLimit attempts;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public AdminAuth(String password, AttemptLimit attempts, Clock clock) {
        this.password = password;
        this.attempts = attempts;
        this.clock = clock;
    }

    /** Checks the password (in constant time) and, if it is right, opens a session. */
    public Login login(String address, String given) {
        String key = "admin " + address;
        if (!attempts.allowed(key)) {
            return new Login(Outcome.THROTTLED, null);
        }
        if (!Metrics.sameSecret(given, password)) {
            attempts.failed(key);
            return new Login(Outcome.WRONG, null);
        }
        attempts.succeeded(key);
        sessions.values().removeIf(s -> s.expiresAt() < clock.millis());
        Session session = new Session(token(), token(), clock.millis() + SESSION_LENGTH.toMillis());
        sessions.put(session.id(), session);
        return new Login(Outcome.OK, session);
    }

    /** The live session with this cookie value, if any. */
    public Optional<Session> session(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null || session.expiresAt() < clock.millis()) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    public void logout(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private String token() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
