package dev.myzoom.recording;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Links to a recording's file that work without a login until they expire: the path carries the
 * expiry and an HMAC-SHA256 of the recording's id and that expiry, under a key every node shares.
 * Changing either breaks the signature; nothing is readable by knowing or guessing an id alone.
 */
public final class SignedLinks {
    private final byte[] key;

    /** @param key at least 32 bytes, the same on every node */
    public SignedLinks(byte[] key) {
        this.key = key.clone();
    }

    /** The path of the recording's file, signed until {@code expiresMs} (epoch ms). */
    public String path(String id, long expiresMs) {
        return "/recordings/" + id + ".mp4?expires=" + expiresMs + "&sig=" + signature(id, expiresMs);
    }

    /** Whether {@code sig} signs {@code id} until {@code expires}, and that time has not come. */
    public boolean valid(String id, String expires, String sig, long nowMs) {
        if (expires == null || sig == null) {
            return false;
        }
        long until;
        try {
            until = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return false;
        }
        return until > nowMs && MessageDigest.isEqual(signature(id, until).getBytes(StandardCharsets.US_ASCII),
                sig.getBytes(StandardCharsets.US_ASCII));
    }

    private String signature(String id, long expiresMs) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("recording\n" + id + "\n" + expiresMs).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
