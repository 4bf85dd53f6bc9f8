package dev.myzoom.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may use the admin panel: whoever knows {@code ADMIN_PASSWORD}. A login makes a session
 * token {@code expiry.nonce.signature}, and its CSRF token, signed with a key made from a random
 * secret that every node of the cluster shares (ADMIN_SESSION_SECRET, or one kept in the
 * database), so that a load balancer may send the panel's requests to any node. The key is not
 * derivable from the password, so a captured cookie cannot be used to guess the password
 * offline; the password goes into the key too, so changing it still ends every session. Logging
 * out records the session as revoked where every node looks (see {@link Revocations}). Wrong
 * passwords are slowed down by {@link LoginThrottle}.
 */
public final class AdminAuth {
    /** A logged-in administrator: the cookie's value, the CSRF token and when the session ends. */
    public record Session(String id, String csrf, long expiresAt) {}

    /** How login went; a session only when it is OK. */
    public enum Outcome { OK, WRONG, THROTTLED }

    /** {@code retryAfter} is how long a throttled address must wait, else zero. */
    public record Login(Outcome outcome, Session session, Duration retryAfter) {}

    public static final Duration SESSION_LENGTH = Duration.ofHours(8);
    private final String password;
    private final LoginThrottle throttle;
    private final Revocations revocations;
    private final Clock clock;
    private final byte[] key;
    private final SecureRandom random = new SecureRandom();

    /** @param secret at least 32 bytes of the cluster's session secret */
    public AdminAuth(String password, byte[] secret, LoginThrottle throttle, Revocations revocations, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the session secret needs at least 32 bytes");
        }
        this.password = password;
        this.throttle = throttle;
        this.revocations = revocations;
        this.clock = clock;
        this.key = mac(secret, "myzoom admin sessions\n" + password);
    }

    /** Checks the password (in constant time) and, if it is right, opens a session. */
    public Login login(String address, String given) {
        Optional<Duration> wait = throttle.wait(address);
        if (wait.isPresent()) {
            return new Login(Outcome.THROTTLED, null, wait.get());
        }
        if (!sameSecret(given, password)) {
            throttle.failed(address);
            return new Login(Outcome.WRONG, null, Duration.ZERO);
        }
        throttle.succeeded(address);
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String body = (clock.millis() + SESSION_LENGTH.toMillis()) + "." + HexFormat.of().formatHex(nonce);
        String id = body + "." + sign("session " + body);
        return new Login(Outcome.OK, new Session(id, sign("csrf " + id), clock.millis() + SESSION_LENGTH.toMillis()),
                Duration.ZERO);
    }

    /**
     * The live session with this cookie value, if it is one we signed, unexpired and not logged
     * out.
     *
     * @throws Revocations.Unavailable if whether it was logged out cannot be told now
     */
    public Optional<Session> session(String id) {
        if (id == null) {
            return Optional.empty();
        }
        int dot = id.lastIndexOf('.');
        if (dot < 0 || !sameSecret(id.substring(dot + 1), sign("session " + id.substring(0, dot)))) {
            return Optional.empty();
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(id.substring(0, id.indexOf('.')));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        // Checked last: only a cookie we signed costs a database read.
        if (expiresAt < clock.millis() || revocations.revoked(hash(id))) {
            return Optional.empty();
        }
        return Optional.of(new Session(id, sign("csrf " + id), expiresAt));
    }

    /** Ends the session on every node, for good. */
    public void logout(Session session) {
        revocations.revoke(hash(session.id()), session.expiresAt());
    }

    /** Compares in time that does not depend on where the two differ. */
    public static boolean sameSecret(String given, String expected) {
        if (given == null) {
            return false;
        }
        byte[] a = sha256(given);
        byte[] b = sha256(expected);
        return MessageDigest.isEqual(a, b);
    }

    private static String hash(String id) {
        return HexFormat.of().formatHex(sha256(id));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
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
