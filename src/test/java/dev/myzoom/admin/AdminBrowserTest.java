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
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admin panel in Chromium, next to a real two-person call. */
class AdminBrowserTest {

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
}
