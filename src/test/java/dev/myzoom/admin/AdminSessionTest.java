package dev.myzoom.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.support.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin sessions across servers and restarts: signed with a random secret every node shares,
 * logged out for good on every node, Secure behind an HTTPS proxy, and a login throttle that
 * does not let strangers keep the administrator out.
 */
class AdminSessionTest {
    private static final String SHARED_SECRET = "a session secret of more than thirty-two characters";

    @TempDir
    Path dir;

    private String fileDatabase() {
        return "jdbc:h2:file:" + dir.resolve("myzoom") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    }

    @Test
    void aSessionHoldsOnEveryServerOfTheDatabaseAndAfterRestartsUntilLoggedOut() throws Exception {
        String database = fileDatabase();
        AdminClient kept;
        AdminClient gone;
        try (TestServer a = AdminTest.withAdmin("DATABASE_URL", database);
                TestServer b = AdminTest.withAdmin("DATABASE_URL", database)) {
            kept = new AdminClient(a.url(""));
            gone = new AdminClient(a.url(""));
            assertEquals(204, kept.login(AdminTest.PASSWORD).statusCode());
            assertEquals(204, gone.login(AdminTest.PASSWORD).statusCode());
            assertEquals(200, on(b, gone).get("/api/admin/state").statusCode(), "B accepts A's session");

            assertEquals(204, gone.act("logout", "{}").statusCode());
            assertEquals(401, gone.get("/api/admin/state").statusCode());
            assertEquals(401, on(b, gone).get("/api/admin/state").statusCode(), "a logout on A holds on B");
            assertEquals(200, on(b, kept).get("/api/admin/state").statusCode(), "other sessions go on");
        }
        try (TestServer c = AdminTest.withAdmin("DATABASE_URL", database)) {
            assertEquals(200, on(c, kept).get("/api/admin/state").statusCode(), "a restart logs nobody out");
            assertEquals(401, on(c, gone).get("/api/admin/state").statusCode(), "nor brings a logout back");
        }
    }

    @Test
    void aCookieSignedTheOldWayWithAKeyFromThePasswordIsRefused() throws Exception {
        try (TestServer server = AdminTest.withAdmin()) {
            byte[] oldKey = hmac(AdminTest.PASSWORD.getBytes(StandardCharsets.UTF_8), "myzoom admin sessions");
            String body = (System.currentTimeMillis() + 3_600_000) + "." + "00112233445566778899aabbccddeeff";
            AdminClient forger = new AdminClient(server.url(""));
            forger.cookie = "myzoom_admin=" + body + "." + HexFormat.of().formatHex(hmac(oldKey, body));
            assertEquals(401, forger.get("/api/admin/state").statusCode());
            assertEquals(303, forger.get("/admin").statusCode());
        }
    }

    @Test
    void withTheSameSessionSecretServersOnDifferentDatabasesShareSessions() throws Exception {
        try (TestServer a = AdminTest.withAdmin("ADMIN_SESSION_SECRET", SHARED_SECRET);
                TestServer b = AdminTest.withAdmin("ADMIN_SESSION_SECRET", SHARED_SECRET);
                TestServer stranger = AdminTest.withAdmin()) {
            AdminClient admin = new AdminClient(a.url(""));
            assertEquals(204, admin.login(AdminTest.PASSWORD).statusCode());
            AdminClient onB = on(b, admin);
            assertEquals(200, onB.get("/api/admin/state").statusCode());
            // Its CSRF token holds there too: the request gets past it, to "no such room".
            assertEquals(404, onB.act("notice", "{\"room\":\"none\",\"text\":\"x\"}").statusCode());
            // Its own database, its own random secret: the same password is not enough.
            assertEquals(401, on(stranger, admin).get("/api/admin/state").statusCode());
        }
    }

    @Test
    void theCookieIsSecureWhenPeopleUseHttps() throws Exception {
        try (TestServer proxied = AdminTest.withAdmin("PUBLIC_URL", "https://meet.example.com");
                TestServer plain = AdminTest.withAdmin()) {
            AdminClient behindProxy = new AdminClient(proxied.url(""));
            assertEquals(204, behindProxy.login(AdminTest.PASSWORD).statusCode());
            assertTrue(behindProxy.setCookie.contains("; Secure"), behindProxy.setCookie);
            HttpResponse<String> logout = behindProxy.act("logout", "{}");
            assertTrue(logout.headers().firstValue("Set-Cookie").orElse("").contains("; Secure"));

            AdminClient local = new AdminClient(plain.url(""));
            assertEquals(204, local.login(AdminTest.PASSWORD).statusCode());
            assertFalse(local.setCookie.contains("Secure"), local.setCookie);
        }
    }

    @Test
    void strangersWrongPasswordsDoNotKeepTheAdministratorOut() throws Exception {
        try (TestServer server = AdminTest.withAdmin()) {
            AdminClient guesser = new AdminClient(server.url(""));
            for (int i = 0; i < LoginThrottle.ADDRESS_MAX; i++) {
                assertEquals(401, guesser.login("guess " + i).statusCode());
            }
            HttpResponse<String> throttled = guesser.login(AdminTest.PASSWORD);
            assertEquals(429, throttled.statusCode());
            assertTrue(throttled.headers().firstValue("Retry-After").isPresent());

            AdminClient admin = new AdminClient(server.url(""));
            assertEquals(204, admin.loginFrom("127.0.0.2", server.port(), AdminTest.PASSWORD));
            assertEquals(200, admin.get("/api/admin/state").statusCode());
        }
    }

    @Test
    void manyFailuresAcrossAddressesSlowDownEveryAddressThatFailed() throws Exception {
        try (TestServer server = AdminTest.withAdmin()) {
            AdminClient client = new AdminClient(server.url(""));
            // Three from each address, fewer than the per-address limit; one more than the account allows in all.
            for (int n = 0; n <= LoginThrottle.ACCOUNT_FREE; n++) {
                assertEquals(401, client.loginFrom("127.0.1." + (n / 3 + 1), server.port(), "guess " + n), "guess " + n);
            }
            // Under the old per-address limit alone, a fourth try would be let in.
            assertEquals(429, client.loginFrom("127.0.1.1", server.port(), "guess again"));
            assertEquals(429, client.loginFrom("127.0.1.1", server.port(), AdminTest.PASSWORD));
            // An address that has not failed still gets in at once.
            assertEquals(204, client.loginFrom("127.0.2.1", server.port(), AdminTest.PASSWORD));
        }
    }

    /** The same browser (its cookie) talking to another server. */
    private static AdminClient on(TestServer server, AdminClient browser) {
        AdminClient client = new AdminClient(server.url(""));
        client.cookie = browser.cookie;
        return client;
    }

    private static byte[] hmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }
}
