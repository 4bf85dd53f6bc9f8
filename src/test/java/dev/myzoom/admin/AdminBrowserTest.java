package dev.myzoom.admin;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.myzoom.support.Call.awaitMedia;
import static dev.myzoom.support.Call.join;
import static dev.myzoom.support.Call.pid;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admin panel in Chromium, next to a real two-person call. */
class AdminBrowserTest {

    @Test
    void anAdminDrainsTheMediaServerSeesItsRoomFinishAndTakesItBack() {
        try (TestServer server = dev.myzoom.support.SfuServer.start("ADMIN_PASSWORD", AdminTest.PASSWORD, "SFU_FROM", "1");
                Browsers browsers = Browsers.start()) {
            Page ana = browsers.newPage();
            Page bo = browsers.newPage();
            join(ana, server.url("/r/all-hands"), "Ana");
            join(bo, server.url("/r/all-hands"), "Bo");
            dev.myzoom.support.SfuPage.awaitMediaFrom(ana, pid(bo));

            Page admin = browsers.newPage();
            admin.navigate(server.url("/admin/login"));
            admin.getByLabel("Admin password").fill(AdminTest.PASSWORD);
            admin.getByLabel("Admin password").press("Enter");
            admin.waitForURL(server.url("/admin"));
            Locator janus = admin.locator("#media tr");
            assertThat(janus).hasCount(1);
            assertThat(janus.locator("td").nth(1)).hasText("up");
            assertThat(janus.locator("td").nth(2)).hasText("1");
            // Each of two pages sends its camera (2 streams) and receives the other's (2 m-lines).
            assertThat(janus.locator("td").nth(3)).hasText("8", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(10_000));
            admin.setViewportSize(1280, 900);
            admin.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/admin.png")).setFullPage(true));

            admin.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(java.util.regex.Pattern.compile("^Drain media server ws"))).click();
            assertThat(janus.locator("td").nth(1)).hasText("draining");
            assertThat(ana.locator(".tile")).hasCount(2);
            ana.close();
            bo.close();
            assertThat(janus.locator("td").nth(1)).hasText("draining · empty, ready to upgrade", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(10_000));
            admin.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(java.util.regex.Pattern.compile("^Undrain media server ws"))).click();
            assertThat(janus.locator("td").nth(1)).hasText("up");
            assertEquals(List.of(), List.copyOf(browsers.cspViolations));
        }
    }

    @Test
    void anAdminSeesTheCallAndKicksSomeoneOut() {
        try (TestServer server = AdminTest.withAdmin(); Browsers browsers = Browsers.start()) {
            Page ana = browsers.newPage();
            Page bo = browsers.newPage();
            join(ana, server.url("/r/standup"), "Ana");
            join(bo, server.url("/r/standup"), "Bo");
            String boPid = pid(bo);
            awaitMedia(ana, boPid);

            Page admin = browsers.newPage();
            admin.navigate(server.url("/admin"));
            assertEquals(server.url("/admin/login"), admin.url());
            admin.getByLabel("Admin password").fill("wrong password!");
            admin.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
            assertThat(admin.getByRole(AriaRole.ALERT)).hasText("wrong password");
            admin.getByLabel("Admin password").fill(AdminTest.PASSWORD);
            admin.getByLabel("Admin password").press("Enter");
            admin.waitForURL(server.url("/admin"));

            Locator room = admin.locator(".room-card").filter(new Locator.FilterOptions().setHasText("standup"));
            Locator boRow = room.locator("tbody tr").filter(new Locator.FilterOptions().setHasText(boPid));
            assertThat(boRow).containsText("Bo");
            assertThat(boRow).containsText("mic on");
            assertThat(boRow).containsText("camera on");
            assertThat(room.locator("tbody tr")).hasCount(2);
            assertThat(admin.locator("#total-participants")).hasText("2");
            admin.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/admin.png")).setFullPage(true));

            admin.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Kick Bo")).click();
            assertThat(bo.locator("#left-title")).hasText("The administrator removed you from the room.");
            assertThat(ana.locator(".tile:not(.screen)[data-pid=\"" + boPid + "\"]")).hasCount(0);
            assertThat(room.locator("tbody tr")).hasCount(1);
            assertThat(admin.locator("#events")).containsText("Bo was kicked by the administrator");
            // Bo's page does not go back in by itself, and a second try within the minute is refused.
            bo.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join again")).click();
            assertThat(bo.locator("#prejoin-error")).hasText("The administrator removed you from this room. Try again in a minute.");
            assertEquals(List.of(), List.copyOf(browsers.cspViolations));
        }
    }

    @Test
    void anAdminClearsARoomsPasswordFromThePanel() throws Exception {
        try (TestServer server = AdminTest.withAdmin(); Browsers browsers = Browsers.start();
                WsClient host = server.connect(); WsClient left = server.connect()) {
            host.join("standup", "Host");
            host.ok("setPassword", "password", "mine now");
            left.join("retro", "Ana");
            left.ok("setPassword", "password", "ours");
            left.close();

            Page admin = browsers.newPage();
            admin.navigate(server.url("/admin/login"));
            admin.getByLabel("Admin password").fill(AdminTest.PASSWORD);
            admin.getByLabel("Admin password").press("Enter");
            admin.waitForURL(server.url("/admin"));

            Locator section = admin.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Room passwords"));
            Locator rows = section.locator("tbody tr");
            assertThat(rows).hasCount(2);
            assertThat(rows.nth(0)).containsText("retro");
            assertThat(rows.nth(0)).containsText("closed since");
            assertThat(rows.nth(1)).containsText("standup");
            assertThat(rows.nth(1)).containsText("open");
            admin.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/admin-passwords.png")).setFullPage(true));

            // From the keyboard: the button keeps its focus across the refreshes, and Enter clears.
            Locator clear = section.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Clear password of room standup"));
            clear.focus();
            Thread.sleep(2500);
            assertThat(clear).isFocused();
            admin.keyboard().press("Enter");
            JsonNode settings = host.next(m -> m.path("type").asText().equals("settings") && !m.get("hasPassword").asBoolean());
            assertEquals(false, settings.get("locked").asBoolean());
            assertThat(rows).hasCount(1);
            assertThat(admin.locator("#status")).hasText("Cleared the password of standup.");

            section.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Clear password of room retro")).click();
            assertThat(section.locator("#no-passwords")).isVisible();
            assertThat(admin.locator("#events")).containsText("password cleared by the administrator");
            assertEquals(List.of(), List.copyOf(browsers.cspViolations));
        }
    }
}
