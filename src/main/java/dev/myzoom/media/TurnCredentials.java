package dev.myzoom.media;

import dev.myzoom.protocol.ServerMessage.IceServer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials in the "TURN REST API" scheme that coturn checks with
 * {@code use-auth-secret}: the username is {@code <expiry>:<user>} (expiry in Unix seconds), the
 * password {@code base64(HMAC-SHA1(secret, username))}. The secret stays on the server; a
 * browser gets only credentials that stop working after the TTL.
 */
public final class TurnCredentials {
    private final List<String> urls;
    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    public TurnCredentials(List<String> urls, String secret, Duration ttl, Clock clock) {
        this.urls = List.copyOf(urls);
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1");
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Fresh credentials for {@code user}, valid until now + TTL. */
    public IceServer issue(String user) {
        long expiry = clock.instant().plus(ttl).getEpochSecond();
        String username = expiry + ":" + user;
        return new IceServer(urls, username, password(username));
    }

    String password(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is part of every JDK", e);
        }
    }
}
