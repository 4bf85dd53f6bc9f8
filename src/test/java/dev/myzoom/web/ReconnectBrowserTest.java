package dev.myzoom.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.myzoom.support.Call.join;
import static dev.myzoom.support.Ui.EXACT;
import static dev.myzoom.support.Ui.chatLines;
import static dev.myzoom.support.Ui.named;
import static dev.myzoom.support.Ui.say;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.TestServer;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReconnectBrowserTest {
    /** Reconnecting backs off for up to 10 s between attempts. */
    static final LocatorAssertions.IsVisibleOptions SLOW = new LocatorAssertions.IsVisibleOptions().setTimeout(20_000);
    static Browsers browsers;

    @BeforeAll
    static void start() {
        browsers = Browsers.start();
    }

    @AfterAll
    static void stop() {
        if (browsers != null) {
            browsers.close();
        }
    }

    @Test
    void afterAServerRestartThePagesReconnectRejoinAndSendWhatWasTypedMeanwhile() {
        int port = TestServer.freePort();
        TestServer server = TestServer.start("PORT", String.valueOf(port));
        Page alice = browsers.newPage();
        Page bob = browsers.newPage();
        // Alice's network can be cut on its own, so that Bob is surely back in the room when her
        // queued line goes out (a line reaches whoever is in the room at the time).
        AtomicBoolean aliceOnline = new AtomicBoolean(true);
        alice.routeWebSocket(url -> url.endsWith("/ws"), ws -> {
            if (aliceOnline.get()) {
                ws.connectToServer();
            } else {
                ws.close();
            }
        });
        try {
            join(alice, server.url("/r/restart"), "Alice");
            join(bob, server.url("/r/restart"), "Bob");

            aliceOnline.set(false);
            server.close();
            assertThat(alice.getByRole(AriaRole.STATUS).getByText("Reconnecting")).isVisible();
            assertThat(bob.getByRole(AriaRole.STATUS).getByText("Reconnecting")).isVisible();
            alice.getByLabel("Message", EXACT).fill("typed while offline");
            alice.getByRole(AriaRole.BUTTON, named("Send")).click();
            assertThat(alice.locator(".line.mine .meta")).hasText("not sent yet — will send when the connection is back");

            server = TestServer.start("PORT", String.valueOf(port));
            assertThat(bob.getByText("Reconnected and back in the room.")).isVisible();
            aliceOnline.set(true);
            assertThat(alice.getByText("Reconnected and back in the room.")).isVisible(SLOW);
            assertThat(alice.locator(".line.mine")).hasAttribute("data-status", "sent");
            assertThat(chatLines(bob)).hasText(new String[] {"Alice: typed while offline"});
            assertThat(bob.locator("#people")).containsText("Alice");

            say(bob, "welcome back");
            assertThat(chatLines(alice)).hasText(new String[] {"You: typed while offline", "Bob: welcome back"});
        } finally {
            server.close();
        }
    }

    @Test
    void theLanguageSwitchTranslatesThePageAndTheChoiceIsKept() {
        try (TestServer server = TestServer.start()) {
            Page page = browsers.newPage();
            join(page, server.url("/r/lang"), "Mina");
            say(page, "안녕");
            assertThat(chatLines(page)).hasText(new String[] {"You: 안녕"});

            page.getByLabel("Language", EXACT).selectOption("ko");
            assertThat(page.getByRole(AriaRole.BUTTON, named("나가기"))).isVisible();
            assertThat(chatLines(page)).hasText(new String[] {"나: 안녕"});
            assertThat(page.locator("html")).hasAttribute("lang", "ko");

            page.navigate(server.url("/"));
            assertThat(page.getByLabel("닉네임", new Page.GetByLabelOptions().setExact(true))).hasValue("Mina");
            assertThat(page.getByRole(AriaRole.BUTTON, named("참여"))).isVisible();
        }
    }
}
