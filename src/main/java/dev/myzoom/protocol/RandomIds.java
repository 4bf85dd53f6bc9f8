package dev.myzoom.protocol;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The random ids of the protocol and the cluster: participant ids, tickets, node ids, secrets.
 * Hex, from the system's CSPRNG, since a ticket or a pid must not be guessable.
 */
public final class RandomIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIds() {
    }

    /** {@code bytes} random bytes, as 2 × {@code bytes} hex digits. */
    public static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
