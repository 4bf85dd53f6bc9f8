package dev.myzoom.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.myzoom.support.Call.join;
import static dev.myzoom.support.Ui.EXACT;
import static dev.myzoom.support.Ui.chatLines;
import static dev.myzoom.support.Ui.named;
import static dev.myzoom.support.Ui.say;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.options.AriaRole;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.CutProxy;
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

    @org.junit.jupiter.api.AfterEach
    void closePages() {
        if (browsers != null) {
            browsers.closeBrowsers();
        }
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
            assertThat(alice.getByRole(AriaRole.STATUS).getByText("Reconnecting")).isVisible(SLOW);
            assertThat(bob.getByRole(AriaRole.STATUS).getByText("Reconnecting")).isVisible(SLOW);
            alice.getByLabel("Message", EXACT).fill("typed while offline");
            alice.getByRole(AriaRole.BUTTON, named("Send")).click();
            assertThat(alice.locator(".line.mine .meta")).hasText("not sent yet — will send when the connection is back");

            server = TestServer.start("PORT", String.valueOf(port));
            assertThat(bob.getByText("Reconnected and back in the room.")).isVisible(SLOW);
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
    void aLineWhoseAckIsLostWithTheConnectionIsSentAgainAndShownOnceEverywhere() {
        try (TestServer server = TestServer.start()) {
            Page alice = browsers.newPage();
            Page bob = browsers.newPage();
            // The line reaches the server and is stored, but its ack is lost: the connection
            // drops just as the ack comes. The page cannot know it was stored, so it sends it
            // again once it is back; the server knows it by its lineId.
            AtomicBoolean loseNextChatAck = new AtomicBoolean(false);
            alice.routeWebSocket(url -> url.endsWith("/ws"), page -> {
                WebSocketRoute toServer = page.connectToServer();
                toServer.onMessage(frame -> {
                    String text = frame.text();
                    if (text != null && text.contains("\"msgId\"") && text.startsWith("{\"type\":\"ack\"")
                            && loseNextChatAck.compareAndSet(true, false)) {
                        page.close();
                        toServer.close();
                        return;
                    }
                    page.send(text);
                });
            });
            join(alice, server.url("/r/lost-ack"), "Alice");
            join(bob, server.url("/r/lost-ack"), "Bob");

            loseNextChatAck.set(true);
            say(alice, "said as the line dropped");
            assertThat(alice.getByText("Reconnected and back in the room.")).isVisible(SLOW);
            assertThat(alice.locator(".line.mine")).hasAttribute("data-status", "sent");
            // Whatever Bob would get twice comes before the next line.
            say(alice, "and after");
            assertThat(chatLines(bob)).hasText(new String[] {"Alice: said as the line dropped", "Alice: and after"});
            assertThat(chatLines(alice)).hasText(new String[] {"You: said as the line dropped", "You: and after"});
        }
    }

    @Test
    void aPageWhoseConnectionIsCutComesBackAsItselfWithTheCallGoingOnAndTheOthersSeeNoLeave() {
        try (TestServer server = TestServer.start(); CutProxy network = CutProxy.to(server.port())) {
            Page alice = browsers.newPage();
            Page bob = browsers.newPage();
            // Alice reaches the server through a proxy that cuts her connections as a lost
            // network does: a reset on her side, a bare close on the server's, no close frame either way.
            dev.myzoom.support.SfuPage.record(alice);
            dev.myzoom.support.SfuPage.record(bob);
            join(alice, network.url("/r/cut"), "Alice");
            join(bob, server.url("/r/cut"), "Bob");
            String alicePid = dev.myzoom.support.Call.pid(alice);
            dev.myzoom.support.Call.awaitMedia(bob, alicePid);
            // Connections that carried a call (a remote description set): the page's warm-up and
            // its spare, which may be made or dropped after Join, never do.
            String made = "() => window.__connections.filter((pc) => pc.remoteDescription).length";
            Object aliceMade = alice.evaluate(made);
            Object bobMade = bob.evaluate(made);
            dev.myzoom.support.Call.watchFrames(bob, alicePid);
            long cutAt = System.nanoTime();

            org.junit.jupiter.api.Assertions.assertTrue(network.cut() > 0, "the proxy had Alice's connections to cut");
            say(bob, "said while Alice was cut off");
            assertThat(alice.getByText("Reconnected and back in the room.")).isVisible(SLOW);
            long resumedMs = (System.nanoTime() - cutAt) / 1_000_000;
            org.junit.jupiter.api.Assertions.assertEquals(alicePid, dev.myzoom.support.Call.pid(alice), "the same participant");
            assertThat(chatLines(alice)).hasText(new String[] {"Bob: said while Alice was cut off"});
            say(alice, "still here");
            assertThat(chatLines(bob)).hasText(new String[] {"You: said while Alice was cut off", "Alice: still here"});
            assertThat(bob.getByRole(AriaRole.LOG)).not().containsText("Alice left");
            assertThat(bob.locator(".tile[data-pid=\"" + alicePid + "\"]")).hasCount(1);
            // The call was never torn down: no page made a new peer connection, and Bob's picture
            // of Alice kept coming on the one it had.
            long before = dev.myzoom.support.Call.stats(bob).path(alicePid).path("camera").path("framesDecoded").asLong();
            dev.myzoom.support.Call.awaitPeer(bob, alicePid, "more frames after the cut",
                    st -> st.path("camera").path("framesDecoded").asLong() > before + 20);
            org.junit.jupiter.api.Assertions.assertEquals(aliceMade, alice.evaluate(made), "Alice's peer connections");
            org.junit.jupiter.api.Assertions.assertEquals(bobMade, bob.evaluate(made), "Bob's peer connections");
            double gap = dev.myzoom.support.Call.longestGap(bob);
            System.out.printf("connection cut: resumed after %d ms; Alice's tile on Bob's page showed %d frames, longest gap %.0f ms;"
                    + " chat lines lost: 0%n", resumedMs, dev.myzoom.support.Call.framesShown(bob), gap);
            org.junit.jupiter.api.Assertions.assertTrue(gap < 1000, "Alice's picture froze for " + gap + " ms on Bob's page");
        }
    }

    @Test
    void aPageCutOffThatComesBackThroughAnotherNodeIsStillItselfAndItsCallGoesOn() {
        String database = "jdbc:h2:mem:roam-" + java.util.UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        try (dev.myzoom.support.Redis redis = dev.myzoom.support.Redis.start()) {
            String[] cluster = {"REDIS_URL", redis.url(), "CLUSTER_SECRET", dev.myzoom.support.Redis.CLUSTER_SECRET,
                "DATABASE_URL", database};
            try (TestServer one = TestServer.start(cluster); TestServer two = TestServer.start(cluster);
                    CutProxy balancer = CutProxy.to(one.port())) {
                Page alice = browsers.newPage();
                Page bob = browsers.newPage();
                dev.myzoom.support.SfuPage.record(alice);
                dev.myzoom.support.SfuPage.record(bob);
                // Alice reaches node one through a load balancer with no sticky sessions: after
                // the cut, it sends her back to node two, which does not hold her participant.
                join(alice, balancer.url("/r/roam"), "Alice");
                join(bob, one.url("/r/roam"), "Bob");
                String alicePid = dev.myzoom.support.Call.pid(alice);
                dev.myzoom.support.Call.awaitMedia(bob, alicePid);
                String made = "() => window.__connections.filter((pc) => pc.remoteDescription).length";
                Object aliceMade = alice.evaluate(made);
                dev.myzoom.support.Call.watchFrames(bob, alicePid);

                balancer.retarget(two.port());
                long cutAt = System.nanoTime();
                org.junit.jupiter.api.Assertions.assertTrue(balancer.cut() > 0, "the balancer had Alice's connections to cut");
                say(bob, "said while Alice was away");
                assertThat(alice.getByText("Reconnected and back in the room.")).isVisible(SLOW);
                long resumedMs = (System.nanoTime() - cutAt) / 1_000_000;
                org.junit.jupiter.api.Assertions.assertEquals(alicePid, dev.myzoom.support.Call.pid(alice), "the same participant");
                assertThat(chatLines(alice)).hasText(new String[] {"Bob: said while Alice was away"});
                say(alice, "back through node two");
                assertThat(chatLines(bob)).hasText(new String[] {"You: said while Alice was away", "Alice: back through node two"});
                assertThat(bob.getByRole(AriaRole.LOG)).not().containsText("Alice left");
                assertThat(bob.locator(".tile[data-pid=\"" + alicePid + "\"]")).hasCount(1);
                org.junit.jupiter.api.Assertions.assertEquals(aliceMade, alice.evaluate(made), "Alice's call was never rebuilt");
                double gap = dev.myzoom.support.Call.longestGap(bob);
                System.out.printf("connection cut, back through another node: resumed after %d ms; Alice's tile on Bob's page"
                        + " showed %d frames, longest gap %.0f ms%n", resumedMs, dev.myzoom.support.Call.framesShown(bob), gap);
                org.junit.jupiter.api.Assertions.assertTrue(gap < 1000, "Alice's picture froze for " + gap + " ms on Bob's page");
            }
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
