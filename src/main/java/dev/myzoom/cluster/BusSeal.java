package dev.myzoom.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs what a node publishes on Redis and checks what it receives, so that whoever can reach
 * Redis but does not know CLUSTER_SECRET cannot speak for a node (send a chat line as someone,
 * close a room, kick people). A message on the wire is {@code <sender> <millis> <hmac> <body>},
 * the HMAC-SHA256 under the secret of the channel, sender, time and body: a message cannot be
 * moved to another node's channel, nor passed off as another sender's, and one older than
 * {@link #MAX_AGE} (or as far in the future, for clocks that disagree) is refused, which stops
 * replays after that time. Nodes' clocks must therefore agree to within that (NTP).
 */
final class BusSeal {
    static final Duration MAX_AGE = Duration.ofSeconds(60);
    private static final HexFormat HEX = HexFormat.of();
    private final Mac prototype;
    private final String sender;
    private final Clock clock;

    /** What was received: the sender and body, or why it was refused (then both are null). */
    record Opened(String from, String body, String refusal) {
        static Opened refused(String why) {
            return new Opened(null, null, why);
        }
    }

    BusSeal(String secret, String sender, Clock clock) {
        this.sender = sender;
        this.clock = clock;
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String seal(String channel, String body) {
        String millis = String.valueOf(clock.millis());
        return sender + " " + millis + " " + HEX.formatHex(mac(channel, sender, millis, body)) + " " + body;
    }

    Opened open(String channel, String message) {
        String[] parts = message.split(" ", 4);
        if (parts.length < 4 || !parts[1].matches("\\d{1,19}") || !parts[2].matches("[0-9a-f]{64}")) {
            return Opened.refused("unsigned");
        }
        byte[] expected = mac(channel, parts[0], parts[1], parts[3]);
        if (!MessageDigest.isEqual(expected, HEX.parseHex(parts[2]))) {
            return Opened.refused("bad signature");
        }
        long age;
        try {
            age = Math.abs(clock.millis() - Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            return Opened.refused("unsigned");
        }
        if (age > MAX_AGE.toMillis()) {
            return Opened.refused("too old");
        }
        return new Opened(parts[0], parts[3], null);
    }

    private byte[] mac(String channel, String from, String millis, String body) {
        Mac mac;
        try {
            // Mac is not thread-safe and publishes come from many threads; a clone skips the key setup.
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        // Newline-separated: none of channel, sender and time may contain one, so fields cannot shift.
        return mac.doFinal((channel + "\n" + from + "\n" + millis + "\n" + body).getBytes(StandardCharsets.UTF_8));
    }
}
