package dev.myzoom.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who gets into the admin panel and its API, and what it can do, over plain HTTP. */
class AdminTest {
    static final String PASSWORD = "correct horse battery";

    static TestServer withAdmin(String... more) {
        String[] settings = new String[more.length + 2];
        settings[0] = "ADMIN_PASSWORD";
        settings[1] = PASSWORD;
        System.arraycopy(more, 0, settings, 2, more.length);
        return TestServer.start(settings);
    }

    @Test
    void withoutAnAdminPasswordThereIsNoPanel() throws Exception {
        try (TestServer server = TestServer.start()) {
            AdminClient admin = new AdminClient(server.url(""));
            assertEquals(404, admin.get("/admin").statusCode());
            assertEquals(404, admin.get("/api/admin/state").statusCode());
            assertEquals(404, admin.login(PASSWORD).statusCode());
        }
    }

    @Test
    void nothingAnswersWithoutASession() throws Exception {
        try (TestServer server = withAdmin()) {
            AdminClient stranger = new AdminClient(server.url(""));
            HttpResponse<String> page = stranger.get("/admin");
            assertEquals(303, page.statusCode());
            assertEquals("/admin/login", page.headers().firstValue("Location").orElse(""));
            assertEquals(200, stranger.get("/admin/login").statusCode());
            assertEquals(401, stranger.get("/api/admin/state").statusCode());
            for (String action : List.of("kick", "close", "notice", "logout")) {
                assertEquals(401, stranger.post("/api/admin/" + action, "{\"pid\":\"x\",\"room\":\"x\",\"text\":\"x\"}").statusCode(), action);
            }
            stranger.cookie = "myzoom_admin=made-up";
            assertEquals(401, stranger.get("/api/admin/state").statusCode());
        }
    }

    @Test
    void loginSetsAStrictHttpOnlyCookieAndWrongPasswordsAreThrottled() throws Exception {
        try (TestServer server = withAdmin()) {
            AdminClient admin = new AdminClient(server.url(""));
            HttpResponse<String> wrong = admin.login("not it");
            assertEquals(401, wrong.statusCode());
            assertTrue(wrong.body().contains("wrong password"), wrong.body());

            HttpResponse<String> ok = admin.login(PASSWORD);
            assertEquals(204, ok.statusCode());
            assertTrue(admin.setCookie.contains("HttpOnly") && admin.setCookie.contains("SameSite=Strict")
                    && admin.setCookie.contains("Max-Age="), admin.setCookie);
            assertEquals(200, admin.get("/admin").statusCode());
            assertTrue(admin.state().get("csrf").asText().length() >= 32);

            AdminClient guesser = new AdminClient(server.url(""));
            for (int i = 0; i < 5; i++) {
                assertEquals(401, guesser.login("guess " + i).statusCode());
            }
            // Even the right password waits once an address has guessed wrong too often.
            assertEquals(429, guesser.login(PASSWORD).statusCode());

            assertEquals(204, admin.act("logout", "{}").statusCode());
            assertEquals(401, admin.get("/api/admin/state").statusCode());
        }
    }

    @Test
    void aCrossSiteRequestIsRefused() throws Exception {
        try (TestServer server = withAdmin(); WsClient bo = server.connect()) {
            bo.join("target", "Bo");
            AdminClient admin = new AdminClient(server.url(""));
            admin.login(PASSWORD);
            String kick = "{\"pid\":\"" + bo.pid + "\"}";
            // The cookie alone is not enough: a page elsewhere cannot read the CSRF token.
            assertEquals(403, admin.post("/api/admin/kick", kick).statusCode());
            String token = admin.state().get("csrf").asText();
            assertEquals(403, admin.post("/api/admin/kick", kick, "X-CSRF-Token", (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1)).statusCode());
            assertEquals(403, admin.post("/api/admin/kick", kick, "X-CSRF-Token", token, "Origin", "https://evil.example").statusCode());
            assertEquals(403, new AdminClient(server.url("")).post("/api/admin/login",
                    "{\"password\":\"" + PASSWORD + "\"}", "Origin", "https://evil.example").statusCode());
            assertTrue(bo.drain(java.time.Duration.ofMillis(300)).stream().noneMatch(m -> m.path("type").asText().equals("removed")));
            assertEquals(202, admin.post("/api/admin/kick", kick, "X-CSRF-Token", token).statusCode());
            assertEquals("admin", bo.next("removed").get("by").asText());
        }
    }

    @Test
    void theStateListsRoomsAndPeopleAndActionsReachThem() throws Exception {
        try (TestServer server = withAdmin(); WsClient ana = server.connect(); WsClient bo = server.connect();
                WsClient cy = server.connect()) {
            ana.join("book-club", "Ana");
            bo.ok("join", "room", "book-club", "nick", "Bo", "clientId", "browser-of-bo-1",
                    "media", java.util.Map.of("audio", true, "video", false, "screen", false));
            cy.join("other", "Cy");
            AdminClient admin = new AdminClient(server.url(""));
            admin.login(PASSWORD);

            JsonNode state = admin.state();
            assertEquals(3, state.at("/totals/participants").asInt());
            assertEquals(2, state.at("/totals/rooms").asInt());
            assertEquals(1, state.at("/totals/nodes").asInt());
            JsonNode club = state.get("rooms").get(0);
            assertEquals("book-club", club.get("room").asText());
            JsonNode boRow = club.get("participants").get(1);
            assertEquals("Bo", boRow.get("nick").asText());
            assertEquals(bo.pid, boRow.get("pid").asText());
            assertTrue(boRow.get("audio").asBoolean() && !boRow.get("video").asBoolean());
            assertTrue(boRow.get("joinedAt").asLong() > 0);

            assertEquals(202, admin.act("notice", "{\"room\":\"book-club\",\"text\":\"Closing in 5 minutes\"}").statusCode());
            assertEquals("Closing in 5 minutes", ana.next("notice").get("text").asText());
            assertEquals(400, admin.act("notice", "{\"room\":\"book-club\",\"text\":\"   \"}").statusCode());
            assertEquals(404, admin.act("kick", "{\"pid\":\"nobody\"}").statusCode());

            assertEquals(202, admin.act("kick", "{\"pid\":\"" + bo.pid + "\"}").statusCode());
            JsonNode removed = bo.next("removed");
            assertEquals("admin", removed.get("by").asText());
            JsonNode left = ana.next("left");
            assertEquals("removed", left.get("reason").asText());
            // Kept out for a minute, from this tab or another one of the same browser.
            JsonNode again = bo.call("join", "room", "book-club", "nick", "Bo", "clientId", "browser-of-bo-1");
            assertEquals("removed", again.get("code").asText(), again.toString());

            assertEquals(202, admin.act("close", "{\"room\":\"other\"}").statusCode());
            assertEquals("The administrator closed this room.", cy.next("notice").get("text").asText());
            assertEquals("closed", cy.next("removed").get("reason").asText());

            // The meeting log is written in the background: wait for the last entries to land.
            List<String> wanted = List.of("kicked book-club", "notice book-club", "closed other", "joined book-club");
            List<String> seen = new java.util.ArrayList<>();
            for (int i = 0; i < 50 && !seen.containsAll(wanted); i++) {
                Thread.sleep(100);
                seen.clear();
                admin.state().get("events").forEach(e -> seen.add(e.get("event").asText() + " " + e.get("room").asText()));
            }
            assertTrue(seen.containsAll(wanted), seen.toString());
        }
    }

    @Test
    void theAdminListsRoomPasswordsAndClearsThemInOpenAndClosedRooms() throws Exception {
        try (TestServer server = withAdmin(); WsClient host = server.connect(); WsClient gone = server.connect()) {
            host.join("standup", "Host");
            host.ok("setPassword", "password", "mine now");
            gone.join("book-club", "Gone");
            gone.ok("setPassword", "password", "ours");
            gone.close();
            AdminClient admin = new AdminClient(server.url(""));
            admin.login(PASSWORD);

            // book-club closes once its leave is handled: wait for the list to say so.
            JsonNode rooms = null;
            for (int i = 0; i < 50; i++) {
                rooms = passwords(admin);
                if (rooms.size() == 2 && !rooms.get(0).get("open").asBoolean()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(2, rooms.size(), rooms.toString());
            JsonNode club = rooms.get(0);
            assertEquals("book-club", club.get("room").asText());
            assertEquals(false, club.get("open").asBoolean());
            assertTrue(club.get("closedSince").asLong() > 0, club.toString());
            JsonNode standup = rooms.get(1);
            assertEquals("standup", standup.get("room").asText());
            assertEquals(true, standup.get("open").asBoolean());
            assertTrue(standup.get("closedSince").isNull(), standup.toString());
            assertTrue(!rooms.toString().contains("argon2"), "the hash is never shown: " + rooms);

            // An open room: its home clears it and tells those inside.
            assertEquals(202, admin.act("clear-password", "{\"room\":\"standup\"}").statusCode());
            JsonNode settings = host.next(m -> m.path("type").asText().equals("settings") && !m.get("hasPassword").asBoolean());
            assertEquals(false, settings.get("locked").asBoolean());
            try (WsClient newcomer = server.connect()) {
                assertEquals(false, newcomer.join("standup", "Newcomer").get("hasPassword").asBoolean());
            }

            // A closed room: cleared here, and done by the time the answer comes.
            HttpResponse<String> cleared = admin.act("clear-password", "{\"room\":\"book-club\"}");
            assertEquals(200, cleared.statusCode(), cleared.body());
            assertEquals(0, passwords(admin).size());
            try (WsClient later = server.connect()) {
                assertEquals(false, later.join("book-club", "Later").get("hasPassword").asBoolean());
            }

            HttpResponse<String> none = admin.act("clear-password", "{\"room\":\"standup\"}");
            assertEquals(404, none.statusCode());
            assertTrue(none.body().contains("room standup has no password"), none.body());
            assertEquals(400, admin.act("clear-password", "{}").statusCode());

            List<String> seen = new java.util.ArrayList<>();
            for (int i = 0; i < 50 && seen.stream().filter(e -> e.startsWith("password-cleared")).count() < 2; i++) {
                Thread.sleep(100);
                seen.clear();
                admin.state().get("events").forEach(e -> seen.add(e.get("event").asText() + " " + e.get("room").asText()));
            }
            assertTrue(seen.containsAll(List.of("password-cleared standup", "password-cleared book-club")), seen.toString());
        }
    }

    @Test
    void roomPasswordsNeedASessionAndClearingThemTheCsrfToken() throws Exception {
        try (TestServer server = withAdmin(); WsClient host = server.connect()) {
            host.join("private", "Host");
            host.ok("setPassword", "password", "keep out");
            AdminClient stranger = new AdminClient(server.url(""));
            assertEquals(401, stranger.get("/api/admin/passwords").statusCode());
            assertEquals(401, stranger.post("/api/admin/clear-password", "{\"room\":\"private\"}").statusCode());
            AdminClient admin = new AdminClient(server.url(""));
            admin.login(PASSWORD);
            assertEquals(403, admin.post("/api/admin/clear-password", "{\"room\":\"private\"}").statusCode());
            String token = admin.state().get("csrf").asText();
            assertEquals(403, admin.post("/api/admin/clear-password", "{\"room\":\"private\"}", "X-CSRF-Token", token,
                    "Origin", "https://evil.example").statusCode());
            assertEquals(1, passwords(admin).size(), "refused requests clear nothing");
            try (WsClient stillOut = server.connect()) {
                assertEquals("password_required", stillOut.call("join", "room", "private", "nick", "S").get("code").asText());
            }
        }
    }

    private static JsonNode passwords(AdminClient admin) throws Exception {
        HttpResponse<String> response = admin.get("/api/admin/passwords");
        assertEquals(200, response.statusCode(), response.body());
        return AdminClient.JSON.readTree(response.body()).get("rooms");
    }
}
