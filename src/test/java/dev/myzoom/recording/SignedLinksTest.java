package dev.myzoom.recording;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SignedLinksTest {
    final SignedLinks links = new SignedLinks("a key of thirty-two bytes or so!".getBytes());
    final String id = "0123456789abcdef0123456789abcdef";

    @Test
    void aLinkWorksUntilItExpiresAndOnlyForItsRecording() {
        long expires = 1_000_000;
        URI link = URI.create("http://x" + links.path(id, expires));
        String sig = link.getQuery().replaceAll(".*sig=", "");
        assertTrue(links.valid(id, String.valueOf(expires), sig, expires - 1));
        assertFalse(links.valid(id, String.valueOf(expires), sig, expires), "expired");
        assertFalse(links.valid(id, String.valueOf(expires + 1000), sig, expires - 1), "an expiry moved later");
        assertFalse(links.valid("f" + id.substring(1), String.valueOf(expires), sig, expires - 1), "another recording");
        assertFalse(new SignedLinks("another key of thirty-two bytes!".getBytes()).valid(id, String.valueOf(expires), sig, 0),
                "another key");
        assertFalse(links.valid(id, "soon", sig, 0));
        assertFalse(links.valid(id, null, null, 0));
    }
}
