package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.support.RawSocket;
import dev.myzoom.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Finding 5, 10 and 15 of the security audit: one address could open 2,000 WebSockets in 7 s,
 * X-Forwarded-For was never read (so behind a proxy every throttle counted everyone together),
 * any Host was answered (DNS rebinding), and permessage-deflate cost 87 KB of native memory per
 * connection.
 */
class ConnectionLimitsTest {
    /** Opens a WebSocket and says whether it stayed open: upgraded, and welcomed rather than closed. */
    private static boolean opens(RawSocket socket) {
        if (!socket.upgraded()) {
            return false;
        }
        try {
            return socket.readText().contains("\"welcome\"");
        } catch (java.io.IOException closed) {
            return false;
        }
    }

    @Test
    void oneAddressMayHoldOnlySoManyWebSocketsAndOpenThemOnlySoFast() {
        try (TestServer server = TestServer.start("MAX_CONNECTIONS_PER_ADDRESS", "3", "UPGRADE_RATE", "1")) {
            List<RawSocket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawSocket s = RawSocket.open("127.0.0.1", server.port());
                    open.add(s);
                    assertTrue(opens(s), "connection " + i + ": " + s.status);
                }
                try (RawSocket fourth = RawSocket.open("127.0.0.1", server.port())) {
                    assertFalse(opens(fourth), "a fourth from the same address");
                }
                // Another address is not affected.
                try (RawSocket other = RawSocket.open("127.0.0.2", "127.0.0.1", server.port())) {
                    assertTrue(opens(other), other.status);
                }
            } finally {
                open.forEach(RawSocket::close);
            }
        }
    }

    @Test
    void upgradesBeyondTheRateAreRefusedWith429() {
        try (TestServer server = TestServer.start("MAX_CONNECTIONS_PER_ADDRESS", "4", "UPGRADE_RATE", "1")) {
            int refused = 0;
            for (int i = 0; i < 8; i++) {
                try (RawSocket s = RawSocket.open("127.0.0.3", "127.0.0.1", server.port())) {
                    if (s.status.contains(" 429 ")) {
                        refused++;
                    }
                }
            }
            assertTrue(refused >= 3, "8 upgrades at once with a burst of 4: " + refused + " refused");
        }
    }

    @Test
    void theServerAsAWholeHoldsAtMostMaxConnections() {
        // One after another: a connection is counted when the server opens it, which comes after
        // the 101 the client reads, so three opened at once could be counted in any order.
        try (TestServer server = TestServer.start("MAX_CONNECTIONS", "2");
                RawSocket a = RawSocket.open("127.0.0.4", "127.0.0.1", server.port())) {
            assertTrue(opens(a), "the first: " + a.status);
            try (RawSocket b = RawSocket.open("127.0.0.5", "127.0.0.1", server.port())) {
                assertTrue(opens(b), "the second: " + b.status);
                try (RawSocket c = RawSocket.open("127.0.0.6", "127.0.0.1", server.port())) {
                    assertFalse(opens(c), "a third connection on a server of two");
                }
            }
        }
    }

    @Test
    void forwardedForIsBelievedOnlyFromATrustedProxy() {
        try (TestServer behindProxy = TestServer.start("MAX_CONNECTIONS_PER_ADDRESS", "2", "TRUSTED_PROXIES", "127.0.0.1")) {
            List<RawSocket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    RawSocket s = RawSocket.open("127.0.0.1", behindProxy.port(), "X-Forwarded-For: 198.51.100.7");
                    open.add(s);
                    assertTrue(opens(s));
                }
                try (RawSocket third = RawSocket.open("127.0.0.1", behindProxy.port(), "X-Forwarded-For: 198.51.100.7")) {
                    assertFalse(opens(third), "a third for the same real client");
                }
                // Someone else behind the same proxy is counted on their own; a value the client put
                // to the left of what the proxy appended is not believed.
                try (RawSocket other = RawSocket.open("127.0.0.1", behindProxy.port(), "X-Forwarded-For: 198.51.100.7, 203.0.113.9")) {
                    assertTrue(opens(other), other.status);
                }
            } finally {
                open.forEach(RawSocket::close);
            }
        }
        try (TestServer direct = TestServer.start("MAX_CONNECTIONS_PER_ADDRESS", "2")) {
            List<RawSocket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    RawSocket s = RawSocket.open("127.0.0.1", direct.port(), "X-Forwarded-For: 198.51.100." + i);
                    open.add(s);
                    assertTrue(opens(s));
                }
                try (RawSocket third = RawSocket.open("127.0.0.1", direct.port(), "X-Forwarded-For: 198.51.100.99")) {
                    assertFalse(opens(third), "without TRUSTED_PROXIES the header must not give a fresh allowance");
                }
            } finally {
                open.forEach(RawSocket::close);
            }
        }
    }

    @Test
    void withAPublicUrlOnlyItsHostIsAnsweredAndOthersGet421() {
        try (TestServer server = TestServer.start("PUBLIC_URL", "https://meet.example.com")) {
            int port = server.port();
            assertEquals(421, RawSocket.httpGet("127.0.0.1", port, "/", "Host: evil.example"));
            assertEquals(421, RawSocket.httpGet("127.0.0.1", port, "/api/rooms", "Host: evil.example:" + port));
            assertEquals(200, RawSocket.httpGet("127.0.0.1", port, "/", "Host: meet.example.com"));
            assertEquals(200, RawSocket.httpGet("127.0.0.1", port, "/", "Host: localhost:" + port));
            assertEquals(200, RawSocket.httpGet("127.0.0.1", port, "/health/live", "Host: 10.1.2.3:" + port));
            try (RawSocket rebound = RawSocket.open(null, "127.0.0.1", port, false, "Host: evil.example",
                    "Origin: http://evil.example")) {
                assertTrue(rebound.status.contains(" 421 "), rebound.status);
            }
            try (RawSocket named = RawSocket.open(null, "127.0.0.1", port, false, "Host: meet.example.com",
                    "Origin: https://meet.example.com")) {
                assertTrue(opens(named), named.status);
            }
        }
    }

    @Test
    void permessageDeflateIsNotNegotiated() {
        try (TestServer server = TestServer.start();
                RawSocket s = RawSocket.open("127.0.0.1", server.port(),
                        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")) {
            assertTrue(s.upgraded(), s.status);
            assertFalse(s.head.toLowerCase().contains("sec-websocket-extensions"), s.head);
        }
    }
}
