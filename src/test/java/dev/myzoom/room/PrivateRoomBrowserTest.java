package dev.myzoom.room;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.myzoom.support.Call.join;
import static dev.myzoom.support.Call.pid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import static dev.myzoom.support.Ui.EXACT;
import static dev.myzoom.support.Ui.button;

import dev.myzoom.support.Browsers;
import dev.myzoom.support.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The host's controls and the guests' side of them, in the real pages. */
class PrivateRoomBrowserTest {
    TestServer server;
    Browsers browsers;

    @BeforeEach
    void start() {
        browsers = Browsers.start();
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (browsers != null) {
            browsers.close();
        }
    }

    @Test
    void theHostLocksSetsAPasswordMutesAndRemovesAndGuestsAreToldPlainly() {
        Page alice = browsers.newPage();
        Page bob = browsers.newPage();
        Page carol = browsers.newPage();
        Page home = browsers.newPage();
        join(alice, server.url("/r/board"), "Alice");
        join(bob, server.url("/r/board"), "Bob");
        assertThat(alice.locator("#people")).containsText("Alice (you)(host)");
        assertThat(button(bob, "Lock room")).isHidden();

        home.navigate(server.url("/"));
        button(alice, "Lock room").click();
        assertThat(button(alice, "Unlock room")).isVisible();
        assertThat(bob.getByText("The host locked the room.")).isVisible();
        assertThat(home.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("board"))).containsText("locked");

        carol.navigate(server.url("/r/board"));
        carol.getByLabel("Nickname", EXACT).fill("Carol");
        button(carol, "Join").click();
        assertThat(carol.getByRole(AriaRole.ALERT)).hasText("The host has locked this room. Nobody new can join right now.");

        button(alice, "Unlock room").click();
        button(alice, "Password").click();
        alice.getByLabel("New room password", EXACT).fill("tea at four");
        button(alice, "Save").click();
        // An Argon2 hash first: on two loaded cores that has taken more than the default 5 s.
        assertThat(bob.getByText("The room now has a password.")).isVisible(
                new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(20_000));

        button(carol, "Join").click();
        assertThat(carol.getByRole(AriaRole.ALERT)).hasText("This room has a password. Enter it to join.");
        carol.getByLabel("Room password", EXACT).fill("coffee");
        button(carol, "Join").click();
        assertThat(carol.getByRole(AriaRole.ALERT)).hasText("That password is not right.",
                new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(20_000));
        carol.getByLabel("Room password", EXACT).fill("tea at four");
        button(carol, "Join").click();
        assertThat(carol.getByText("You joined as Carol")).isAttached(
                new com.microsoft.playwright.assertions.LocatorAssertions.IsAttachedOptions().setTimeout(20_000));
        String c = pid(carol);

        alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mute Bob")).click();
        assertThat(button(bob, "Unmute")).isVisible();
        assertThat(bob.getByText("The host turned your microphone off.").first()).isVisible();
        assertThat(alice.locator(".tile[data-pid=\"" + pid(bob) + "\"]")).hasAttribute("data-audio", "off");

        alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove Carol")).click();
        assertThat(carol.getByText("The host removed you from the room.")).isVisible();
        assertThat(alice.locator(".tile[data-pid=\"" + c + "\"]")).hasCount(0);
        alice.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/host.png")));

        // Only the host gets the per-person buttons.
        assertThat(bob.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mute Alice"))).hasCount(0);
        alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Leave").setExact(true)).click();
        assertThat(bob.getByText("You are now the host.")).isVisible();
        assertThat(button(bob, "Lock room")).isVisible();
    }

    @Test
    void theHomePageOffersARandomHardToGuessRoomName() {
        Page page = browsers.newPage();
        page.navigate(server.url("/"));
        button(page, "Random name").click();
        String first = page.getByLabel("Room", EXACT).inputValue();
        assertTrue(first.matches("[a-z]+-[a-z]+-[a-z]+-\\d{3}"), first);
        button(page, "Random name").click();
        String second = page.getByLabel("Room", EXACT).inputValue();
        assertTrue(!first.equals(second), "two draws gave the same name: " + first);
        page.getByLabel("Nickname", EXACT).fill("Rnd");
        button(page, "Join").click();
        page.waitForURL("**/r/" + second);
        assertEquals(second, page.locator("#room-title").textContent());
    }
}
