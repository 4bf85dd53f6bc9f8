package dev.myzoom.admin;

import dev.myzoom.room.AttemptLimit;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may use the admin panel: whoever knows {@code ADMIN_PASSWORD}. A login makes a session
 * token signed with a key derived from that password, so that every node of a cluster accepts it
 * (a load balancer may send the panel's requests to any node), and its CSRF token is derived from
 * it the same way. Logging out forgets the token on this node and clears the cookie. Wrong
 * passwords are throttled per client address.
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
    private final byte[] key;
    private final Set<String> loggedOut = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    public AdminAuth(String password, AttemptLimit attempts, Clock clock) {
        this.password = password;
        this.attempts = attempts;
        this.clock = clock;
        this.key = mac(password.getBytes(StandardCharsets.UTF_8), "myzoom admin sessions");
    }

    /** Checks the password (in constant time) and, if it is right, opens a session. */
    public Login login(String address, String given) {
        String key = "admin " + address;
        if (!attempts.allowed(key)) {
            return new Login(Outcome.THROTTLED, null);
        }
        if (!sameSecret(given, password)) {
            attempts.failed(key);
            return new Login(Outcome.WRONG, null);
        }
        attempts.succeeded(key);
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String body = (clock.millis() + SESSION_LENGTH.toMillis()) + "." + HexFormat.of().formatHex(nonce);
        return new Login(Outcome.OK, session(body + "." + sign(body)).orElseThrow());
    }

    /** The live session with this cookie value, if it is one we signed, unexpired and not logged out. */
    public Optional<Session> session(String id) {
        if (id == null || loggedOut.contains(id)) {
            return Optional.empty();
        }
        int dot = id.lastIndexOf('.');
        if (dot < 0 || !sameSecret(id.substring(dot + 1), sign(id.substring(0, dot)))) {
            return Optional.empty();
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(id.substring(0, id.indexOf('.')));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (expiresAt < clock.millis()) {
            return Optional.empty();
        }
        return Optional.of(new Session(id, sign("csrf " + id), expiresAt));
    }

    public void logout(String id) {
        if (id != null) {
            loggedOut.add(id);
        }
    }

    /** Compares in time that does not depend on where the two differ. */
    public static boolean sameSecret(String given, String expected) {
        if (given == null) {
            return false;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] a = sha.digest(given.getBytes(StandardCharsets.UTF_8));
            byte[] b = sha.digest(expected.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(a, b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(String text) {
        return HexFormat.of().formatHex(mac(key, text));
    }

    private static byte[] mac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
