package dev.myzoom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void defaultsNeedNoSettings() {
        Config config = Config.from(name -> null);
        assertEquals(8080, config.http().port());
        assertEquals("0.0.0.0", config.http().host());
        assertTrue(config.http().publicUrl().isEmpty());
        assertTrue(config.http().allowedOrigins().isEmpty());
    }

    @Test
    void valuesAreReadAndTrimmed() {
        Config config = Config.from(Map.of("PORT", " 9000 ", "PUBLIC_URL", "https://meet.example.com",
                "ALLOWED_ORIGINS", "https://a.example, http://b.example:8080")::get);
        assertEquals(9000, config.http().port());
        assertEquals("meet.example.com", config.http().publicUrl().orElseThrow().getHost());
        assertEquals(2, config.http().allowedOrigins().size());
    }

    @Test
    void aBadValueNamesTheSettingInOneLine() {
        Config.Invalid port = assertThrows(Config.Invalid.class, () -> Config.from(Map.of("PORT", "80a")::get));
        assertEquals("Invalid setting PORT=\"80a\": expected a whole number from 0 to 65535", port.getMessage());

        Config.Invalid url = assertThrows(Config.Invalid.class, () -> Config.from(Map.of("PUBLIC_URL", "meet.example.com")::get));
        assertTrue(url.getMessage().startsWith("Invalid setting PUBLIC_URL="), url.getMessage());
        assertTrue(!url.getMessage().contains("\n"));

        assertThrows(Config.Invalid.class, () -> Config.from(Map.of("ALLOWED_ORIGINS", "https://a.example/path")::get));
        assertThrows(Config.Invalid.class, () -> Config.from(Map.of("RATE_LIMIT", "0")::get));
    }

    @Test
    void aClusterNeedsASecretAndSecretsNeedALength() {
        Config.Invalid missing = assertThrows(Config.Invalid.class, () -> Config.from(Map.of("REDIS_URL", "redis://10.0.0.5:6379")::get));
        assertEquals("Invalid setting CLUSTER_SECRET=\"\": required when REDIS_URL is set", missing.getMessage());
        Config.Invalid shortOne = assertThrows(Config.Invalid.class, () -> Config.from(Map.of("REDIS_URL", "redis://10.0.0.5:6379",
                "CLUSTER_SECRET", "too-short")::get));
        assertTrue(shortOne.getMessage().startsWith("Invalid setting CLUSTER_SECRET=\"(hidden)\""), shortOne.getMessage());
        assertEquals("0123456789abcdef", Config.from(Map.of("REDIS_URL", "redis://10.0.0.5:6379",
                "CLUSTER_SECRET", "0123456789abcdef")::get).cluster().clusterSecret().orElseThrow());

        assertThrows(Config.Invalid.class, () -> Config.from(Map.of("ADMIN_SESSION_SECRET", "x".repeat(31))::get));
        assertEquals(32, Config.from(Map.of("ADMIN_SESSION_SECRET", "x".repeat(32))::get).admin().adminSessionSecret().orElseThrow().length());
    }

    @Test
    void theSfuSettingsHaveDefaultsAndRefuseBadValuesInOneLine() {
        Config.Sfu sfu = Config.from(name -> null).sfu();
        assertTrue(sfu.janusUrls().isEmpty());
        assertTrue(sfu.janusLocal());
        assertEquals(3, sfu.sfuFrom());
        assertEquals(50, sfu.maxParticipants());
        assertEquals(20000, sfu.rtpPortMin());
        assertEquals(40000, sfu.rtpPortMax());
        assertTrue(sfu.janusIceInterface().isEmpty());

        Config.Sfu set = Config.from(Map.of("JANUS_URLS", "ws://10.0.0.7:8188, wss://janus.example.com/ws",
                "JANUS_API_SECRET", "s", "SFU_FROM", "1", "JANUS_RTP_PORTS", "20000 - 20999", "JANUS_ICE_INTERFACE", "mz0, 10.0.")::get).sfu();
        assertEquals(2, set.janusUrls().size());
        assertEquals("janus.example.com", set.janusUrls().get(1).getHost());
        assertEquals(1, set.sfuFrom());
        assertEquals(20999, set.rtpPortMax());
        assertEquals("mz0,10.0.", set.janusIceInterface().orElseThrow());

        Map<Map<String, String>, String> bad = Map.of(
                Map.of("JANUS_URLS", "http://10.0.0.7:8188", "JANUS_API_SECRET", "s"), "Invalid setting JANUS_URLS=\"http://10.0.0.7:8188\": expected ws:// or wss:// addresses such as ws://10.0.0.7:8188, comma-separated",
                Map.of("JANUS_URLS", "ws://10.0.0.7:8188"), "Invalid setting JANUS_API_SECRET=\"\": required when JANUS_URLS is set",
                Map.of("SFU_FROM", "0"), "Invalid setting SFU_FROM=\"0\": expected a whole number from 1 to 1000",
                Map.of("SFU_FROM", "8"), "Invalid setting SFU_FROM=\"8\": must not exceed MAX_MESH_PARTICIPANTS + 1 (7)",
                Map.of("SFU_FROM", "5", "MAX_PARTICIPANTS", "4"), "Invalid setting SFU_FROM=\"5\": must not exceed MAX_PARTICIPANTS (4)",
                Map.of("MAX_PARTICIPANTS", "1001"), "Invalid setting MAX_PARTICIPANTS=\"1001\": expected a whole number from 2 to 1000",
                Map.of("JANUS_LOCAL", "yes"), "Invalid setting JANUS_LOCAL=\"yes\": expected true or false",
                Map.of("JANUS_RTP_PORTS", "30000-20000"), "Invalid setting JANUS_RTP_PORTS=\"30000-20000\": expected a range of UDP ports such as 20000-40000 (from 1024 to 65535, low-high)",
                Map.of("JANUS_ICE_INTERFACE", "eth0; rm"), "Invalid setting JANUS_ICE_INTERFACE=\"eth0; rm\": expected interface names or address prefixes such as eth0 or 10.0.0., comma-separated");
        bad.forEach((settings, message) -> assertEquals(message,
                assertThrows(Config.Invalid.class, () -> Config.from(settings::get)).getMessage()));
    }

    @Test
    void cookiesAreSecureWhenTheServerOrItsProxyServesHttps() {
        assertTrue(!Config.from(name -> null).httpsForBrowsers());
        assertTrue(Config.from(Map.of("PUBLIC_URL", "https://meet.example.com")::get).httpsForBrowsers());
        assertTrue(!Config.from(Map.of("PUBLIC_URL", "http://meet.example.com")::get).httpsForBrowsers());
        assertTrue(Config.from(Map.of("TLS_SELF_SIGNED", "true")::get).httpsForBrowsers());
    }

    @Test
    void helpListsEverySettingWithItsDefault() {
        String help = Config.help();
        for (Config.Setting setting : Config.SETTINGS) {
            assertTrue(help.contains(setting.name()), setting.name());
        }
        assertTrue(help.contains("default: 8080"));
    }
}
