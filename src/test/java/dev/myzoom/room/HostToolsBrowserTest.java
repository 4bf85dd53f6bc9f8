package dev.myzoom.room;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.myzoom.support.Call.join;
import static dev.myzoom.support.Call.pid;
import static dev.myzoom.support.Ui.button;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Raised hands, reactions and the host's "mute everyone" and "ask to unmute", through the real pages. */
class HostToolsBrowserTest {

    static Locator people(Page page) {
        return page.locator("#people .person");
    }

    @Test
    void handsGoUpInOrderReactionsFloatAndAMutedGuestUnmutesOnlyWhenAsked() {
        try (TestServer server = TestServer.start(); Browsers browsers = Browsers.start()) {
            String url = server.url("/r/host-tools");
            Page ana = browsers.newPage();
            Page ben = browsers.newPage();
            Page cy = browsers.newPage();
            join(ana, url, "Ana");
            join(ben, url, "Ben");
            join(cy, url, "Cy");
            String benPid = pid(ben);

            // Cy with the keyboard, then Ben with the button: the host sees them first, in that order.
            cy.locator("body").press("h");
            assertThat(cy.locator("#hand")).hasAttribute("aria-pressed", "true");
            button(ben, "Raise hand").click();
            assertThat(people(ana).nth(0)).containsText("Cy");
            assertThat(people(ana).nth(0).locator(".hand-mark")).hasText("\u270B 1");
            assertThat(people(ana).nth(1)).containsText("Ben");
            assertThat(people(ana).nth(1).locator(".hand-mark")).hasText("\u270B 2");
            ana.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Lower the hand of Cy").setExact(true)).click();
            assertThat(cy.locator("#hand")).hasAttribute("aria-pressed", "false");
            assertThat(people(ana).nth(0).locator(".hand-mark")).hasText("\u270B 1");
            assertThat(people(ana).nth(0)).containsText("Ben");

            // A reaction floats over Ben's tile on the others' pages.
            button(ben, "React").click();
            ben.getByRole(com.microsoft.playwright.options.AriaRole.MENUITEM,
                    new Page.GetByRoleOptions().setName("React with applause").setExact(true)).click();
            assertThat(ana.locator(".tile[data-pid=\"" + benPid + "\"] .reaction")).hasText("\uD83D\uDC4F");
            ana.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/host-tools.png")));

            // Everyone muted, and not allowed to unmute themselves.
            ana.getByLabel("People may unmute themselves").uncheck();
            button(ana, "Mute everyone").click();
            assertThat(ben.locator("#mic")).hasText("Unmute");
            ben.locator("#mic").click();
            assertThat(ben.locator("#toast")).containsText("The host has muted everyone");
            assertThat(ben.locator("#mic")).hasText("Unmute");

            // Asked, Ben decides to unmute; the host sees his microphone on.
            ana.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Ask Ben to unmute").setExact(true)).click();
            assertThat(ben.getByRole(com.microsoft.playwright.options.AriaRole.DIALOG)).containsText("The host asks you to unmute");
            ben.getByRole(com.microsoft.playwright.options.AriaRole.DIALOG).getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Unmute").setExact(true)).click();
            assertThat(ben.locator("#mic")).hasText("Mute");
            assertThat(ana.locator(".tile[data-pid=\"" + benPid + "\"]")).hasAttribute("data-audio", "on");
            // Cy was not asked: still locked.
            cy.locator("#mic").click();
            assertThat(cy.locator("#mic")).hasText("Unmute");

            // The list changes under a keyboard user without taking their place: the host's focus
            // is on "Remove Ben" when Ben mutes, which rebuilds his row (it offers "Ask" now).
            Locator removeBen = ana.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Remove Ben").setExact(true));
            removeBen.focus();
            ben.locator("#mic").click();
            assertThat(ana.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Ask Ben to unmute").setExact(true))).isVisible();
            assertThat(removeBen).isFocused();
        }
    }
}
