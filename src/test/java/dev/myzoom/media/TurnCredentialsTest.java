package dev.myzoom.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.Config;
import dev.myzoom.protocol.ServerMessage.IceServer;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {
    static final List<String> URLS = List.of("turn:turn.example.com:3478?transport=udp");

    // Expected values computed independently: base64(HMAC-SHA1(secret, username)) with Python's hmac.
    @Test
    void passwordsMatchKnownHmacVectors() {
        TurnCredentials north = new TurnCredentials(URLS, "north", Duration.ofHours(1), Clock.systemUTC());
        assertEquals("V0CybUJqnhvguxuU/1RG7Oh6tqU=", north.password("1795700000:alice"));
        TurnCredentials other = new TurnCredentials(URLS, "s3cr3t", Duration.ofHours(1), Clock.systemUTC());
        assertEquals("uuWjnT1kB/wLMswLATPGmOcL9No=", other.password("1700003600:3f9a0c1d2b4e5f60"));
    }

    @Test
    void usernameCarriesTheExpiryNowPlusTtlAndTheUser() {
        Clock at = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
        IceServer server = new TurnCredentials(URLS, "s3cr3t", Duration.ofHours(1), at).issue("3f9a0c1d2b4e5f60");
        assertEquals("1700003600:3f9a0c1d2b4e5f60", server.username());
        assertEquals("uuWjnT1kB/wLMswLATPGmOcL9No=", server.credential());
        assertEquals(URLS, server.urls());

        IceServer shortLived = new TurnCredentials(URLS, "s3cr3t", Duration.ofSeconds(90), at).issue("u");
        assertEquals("1700000090:u", shortLived.username());
    }

    @Test
    void everyJoinGetsFreshCredentialsAndNeverTheSecret() throws Exception {
        try (TestServer server = TestServer.start("TURN_URLS", "turn:127.0.0.1:3478?transport=udp,turns:turn.example.com:443?transport=tcp",
                "TURN_SECRET", "do-not-leak-me", "TURN_TTL", "600", "FORCE_RELAY", "true");
                WsClient a = server.connect()) {
            long now = System.currentTimeMillis() / 1000;
            JsonNode joined = a.join("turn", "A");
            JsonNode call = joined.get("call");
            assertEquals("relay", call.get("iceTransportPolicy").asText());
            JsonNode turn = call.get("iceServers").get(0);
            assertEquals(2, turn.get("urls").size());
            String[] user = turn.get("username").asText().split(":");
            assertEquals(a.pid, user[1]);
            long expiry = Long.parseLong(user[0]);
            assertTrue(Math.abs(expiry - (now + 600)) <= 2, "expiry " + expiry + " should be now + TTL");
            assertEquals(new TurnCredentials(List.of(), "do-not-leak-me", Duration.ZERO, Clock.systemUTC())
                    .password(turn.get("username").asText()), turn.get("credential").asText());
            assertTrue(!joined.toString().contains("do-not-leak-me") && !a.welcome.toString().contains("do-not-leak-me"));
            // A bare WebSocket gets no TURN credentials at all: only a join does.
            assertEquals(0, a.welcome.at("/call/iceServers").size(), a.welcome.toString());
            assertTrue(!a.welcome.toString().contains("credential"), a.welcome.toString());
        }
    }

    @Test
    void turnSettingsAreChecked() {
        assertThrows(Config.Invalid.class, () -> Config.from(Map.of("TURN_URLS", "turn:t.example.com")::get),
                "TURN_URLS without TURN_SECRET");
        assertThrows(Config.Invalid.class, () -> Config.from(Map.of("FORCE_RELAY", "true")::get));
        assertThrows(Config.Invalid.class, () -> Config.from(Map.of("FORCE_RELAY", "yes")::get));
        assertThrows(Config.Invalid.class, () -> Config.from(Map.of("TURN_URLS", "http://t.example.com", "TURN_SECRET", "x")::get));
        Config ok = Config.from(Map.of("TURN_URLS", "turns:t.example.com:443?transport=tcp", "TURN_SECRET", "x")::get);
        assertEquals(Duration.ofMinutes(15), ok.ice().turnTtl());
        assertThrows(Config.Invalid.class, () -> Config.from(Map.of("TURN_URLS", "turn:t.example.com", "TURN_SECRET", "x",
                "TURN_TTL", String.valueOf(7 * 24 * 3600))::get), "a week of relay for one join is too long");
    }
}
