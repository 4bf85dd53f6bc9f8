package dev.myzoom.media.sfu;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A meeting room's VideoRoom id and secret in Janus, derived from the room's name with a key the
 * servers share (JANUS_ROOM_KEY). Derived, not stored: every node of a cluster finds the same
 * room, and any of them can still destroy, moderate or kick after the node that made it is gone.
 * Room names are Unicode and up to 64 characters; the ids are 24 hex characters, and the name
 * cannot be read back from them.
 */
public final class RoomKeys {
    private final SecretKeySpec key;

    public RoomKeys(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** The VideoRoom id of a meeting room. */
    public String roomId(String room) {
        return "mz" + mac("room:" + room).substring(0, 22);
    }

    /** The secret of a VideoRoom (destroy, kick, moderate, recording), which browsers never see. */
    public String secret(String roomId) {
        return mac("secret:" + roomId);
    }

    private String mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
