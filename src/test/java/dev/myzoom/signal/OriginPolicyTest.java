package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which pages may open the WebSocket, from the Origin and Host of the upgrade request. */
class OriginPolicyTest {
    private final OriginPolicy none = new OriginPolicy(Optional.empty(), List.of());

    @Test
    void clientsThatAreNotBrowsersSendNoOriginAndAreLetThrough() {
        assertTrue(none.allows(null, "meet.example.com"));
    }

    @Test
    void thePagesOwnServerIsAllowedWhateverItIsCalled() {
        assertTrue(none.allows("http://localhost:8080", "localhost:8080"));
        assertTrue(none.allows("https://Meet.Example.com", "meet.example.com"));
        assertTrue(none.allows("http://192.168.1.20:8080", " 192.168.1.20:8080 "));
    }

    @Test
    void anotherSiteIsRefused() {
        assertFalse(none.allows("https://evil.example", "meet.example.com"));
        // Same host, other port: another server, another origin.
        assertFalse(none.allows("http://localhost:3000", "localhost:8080"));
        assertFalse(none.allows("https://meet.example.com.evil.example", "meet.example.com"));
    }

    @Test
    void originsWithoutAHostAreRefused() {
        // Sandboxed frames and file:// pages send the text "null".
        assertFalse(none.allows("null", "meet.example.com"));
        assertFalse(none.allows("file:///home/me/page.html", "meet.example.com"));
        assertFalse(none.allows("http://bad host", "meet.example.com"));
    }

    @Test
    void publicUrlIsAllowedBehindAProxyWithDefaultPortsSpelledOrNot() {
        // Behind a reverse proxy the Host header names the proxy's upstream, not the public name.
        OriginPolicy policy = new OriginPolicy(Optional.of(URI.create("https://meet.example.com")), List.of());
        assertTrue(policy.allows("https://meet.example.com", "127.0.0.1:8080"));
        assertTrue(policy.allows("https://meet.example.com:443", "127.0.0.1:8080"));
        assertTrue(policy.allows("https://MEET.example.com", "127.0.0.1:8080"));
        assertFalse(policy.allows("http://meet.example.com", "127.0.0.1:8080"), "plain http is another origin");
        assertFalse(policy.allows("https://meet.example.com:8443", "127.0.0.1:8080"));
    }

    @Test
    void allowedOriginsAddExactlyThoseOrigins() {
        OriginPolicy policy = new OriginPolicy(Optional.empty(), List.of("http://localhost:3000", "https://app.example.com"));
        assertTrue(policy.allows("http://localhost:3000", "127.0.0.1:8080"));
        assertTrue(policy.allows("https://app.example.com", "127.0.0.1:8080"));
        assertFalse(policy.allows("http://localhost:3001", "127.0.0.1:8080"));
        assertFalse(policy.allows("http://app.example.com", "127.0.0.1:8080"));
    }

    @Test
    void aStarAllowsEveryOrigin() {
        OriginPolicy policy = new OriginPolicy(Optional.empty(), List.of("*"));
        assertTrue(policy.allows("https://anywhere.example", "meet.example.com"));
        assertTrue(policy.allows("null", "meet.example.com"));
    }
}
