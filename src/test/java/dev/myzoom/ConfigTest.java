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
