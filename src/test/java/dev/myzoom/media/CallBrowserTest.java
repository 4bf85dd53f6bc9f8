package dev.myzoom.media;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.myzoom.support.Call.awaitMedia;
import static dev.myzoom.support.Call.awaitPeer;
import static dev.myzoom.support.Call.join;
import static dev.myzoom.support.Call.pid;
import static dev.myzoom.support.Call.stats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import static dev.myzoom.support.Ui.EXACT;
import static dev.myzoom.support.Ui.button;
import static dev.myzoom.support.Ui.say;

import dev.myzoom.support.Browsers;
import dev.myzoom.support.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real calls between separate Chromium processes with fake cameras and microphones, through the
 * real pages. Run inside a loopback-only network namespace (see .ci/run) so that ICE stays on
 * this machine.
 */
class CallBrowserTest {
    TestServer server;
    Browsers browsers;

    @BeforeEach
    void start() {
        browsers = Browsers.start();
    }

    @AfterEach
    void stop() {
        List<String> violations = browsers == null ? List.of() : List.copyOf(browsers.cspViolations);
        if (server != null) {
            server.close();
        }
        if (browsers != null) {
            browsers.close();
        }
        assertEquals(List.of(), violations, "the pages must work under the Content-Security-Policy");
    }

    static Locator tileOf(Page page, String pid) {
        return page.locator(".tile:not(.screen)[data-pid=\"" + pid + "\"]");
    }

    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/" + name + ".png")));
    }

    static double audioEnergy(Page page, String pid) {
        return stats(page).path(pid).path("audio").path("totalAudioEnergy").asDouble();
    }

    static long framesDecoded(Page page, String pid, String slot) {
        return stats(page).path(pid).path(slot).path("framesDecoded").asLong();
    }

    /** Alice and Bob in a call in {@code room}, Bob already decoding Alice. */
    record TwoInCall(Page alice, Page bob, String a) {}

    TwoInCall twoInCall(String room, String... aliceFlags) {
        server = TestServer.start();
        Page alice = browsers.newPage(aliceFlags);
        Page bob = browsers.newPage();
        join(alice, server.url("/r/" + room), "Alice");
        join(bob, server.url("/r/" + room), "Bob");
        String a = pid(alice);
        awaitMedia(bob, a);
        return new TwoInCall(alice, bob, a);
    }

    @Test
    void twoPeopleThroughTheRealPagesSeeAndHearEachOtherAndChat() {
        server = TestServer.start();
        Page alice = browsers.newPage();
        Page bob = browsers.newPage();
        alice.navigate(server.url("/"));
        alice.getByLabel("Nickname", EXACT).fill("Alice");
        alice.getByLabel("Room", EXACT).fill("video-call");
        button(alice, "Join").click();
        alice.waitForURL("**/r/video-call");
        assertThat(alice.locator("#preview")).isVisible();
        alice.waitForFunction("() => document.querySelector('#preview').videoWidth > 0");
        button(alice, "Join").click();

        bob.navigate(server.url("/"));
        bob.getByLabel("Nickname", EXACT).fill("Bob");
        bob.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("video-call")).click();
        bob.waitForURL("**/r/video-call");
        // Seeing yourself for a moment before joining, as people do, lets the page prepare the
        // first call, whose offer then goes with the join.
        bob.waitForFunction("() => document.querySelector('#preview').videoWidth > 0");
        bob.waitForTimeout(1000);
        button(bob, "Join").click();
        bob.getByText("You joined as Bob").waitFor();
        assertEquals(Boolean.TRUE, bob.evaluate("() => window.myzoom.metrics.offeredWithJoin"));

        awaitMedia(alice, pid(bob));
        awaitMedia(bob, pid(alice));
        assertThat(alice.locator(".tile")).hasCount(2);
        assertThat(tileOf(alice, pid(bob))).containsText("Bob");
        assertEquals(Boolean.TRUE, alice.evaluate("() => document.querySelector('.tile.self video').muted"));

        say(alice, "Can you see me?");
        assertThat(bob.locator("#chat-log li:not(.notice) .body")).hasText("Alice: Can you see me?");
        say(bob, "Yes!");
        assertThat(alice.locator("#chat-log li:not(.notice) .body")).hasText(new String[] {"You: Can you see me?", "Bob: Yes!"});
        long before = framesDecoded(alice, pid(bob), "camera");
        awaitPeer(alice, pid(bob), "video still flowing during chat",
                s -> s.path("camera").path("framesDecoded").asLong() > before + 10);
        screenshot(alice, "call-2");
    }

    @Test
    void aCallOverHttpsWithASelfSignedCertificateWorksUnderTheSecurityHeaders() {
        server = TestServer.start("TLS_SELF_SIGNED", "true");
        Page alice = browsers.newPage();
        Page bob = browsers.newPage();
        String url = "https://localhost:" + server.port() + "/r/secure";
        join(alice, url, "Alice");
        join(bob, url, "Bob");
        awaitMedia(alice, pid(bob));
        awaitMedia(bob, pid(alice));
        assertEquals("wss:", alice.evaluate("() => new URL(window.myzoom.connection.url).protocol"));
        say(bob, "secure hello");
        assertThat(alice.locator("#chat-log li:not(.notice) .body")).hasText("Bob: secure hello");
    }

    @Test
    void muteShowsOnTheOtherTileAndTheirAudioEnergyStopsRising() {
        TwoInCall call = twoInCall("mute");
        Page alice = call.alice();
        Page bob = call.bob();
        String a = call.a();

        double e0 = audioEnergy(bob, a);
        bob.waitForTimeout(2500);
        double talking = audioEnergy(bob, a) - e0;
        assertTrue(talking > 0, "audio energy must rise while unmuted");

        button(alice, "Mute").click();
        assertThat(button(alice, "Unmute")).isVisible();
        // Her own row in the people list says so too (the server tells only the others).
        assertThat(alice.locator("#people .person").filter(new com.microsoft.playwright.Locator.FilterOptions()
                .setHasText("(you)")).locator(".person-state")).hasAttribute("aria-label",
                java.util.regex.Pattern.compile("^microphone off"));
        assertThat(tileOf(bob, a)).hasAttribute("data-audio", "off",
                new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(1000));
        bob.waitForTimeout(1000); // packets already on their way
        double e1 = audioEnergy(bob, a);
        bob.waitForTimeout(2500);
        double muted = audioEnergy(bob, a) - e1;
        assertTrue(muted < talking * 0.05, "energy rose by " + muted + " while muted, " + talking + " while talking");

        alice.keyboard().press("m");
        assertThat(tileOf(bob, a)).hasAttribute("data-audio", "on");
        double e2 = audioEnergy(bob, a);
        awaitPeer(bob, a, "audio energy rising again", s -> s.path("audio").path("totalAudioEnergy").asDouble() > e2);
    }

    @Test
    void cameraOffStopsTheTrackAndShowsOnTheOtherTileThenVideoResumes() {
        TwoInCall call = twoInCall("camera");
        Page alice = call.alice();
        Page bob = call.bob();
        String a = call.a();

        alice.evaluate("() => { window.cameraTrack = window.myzoom.media.camera; }");
        button(alice, "Stop video").click();
        assertThat(tileOf(bob, a)).hasAttribute("data-video", "off",
                new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(1000));
        assertEquals("ended", alice.evaluate("() => window.cameraTrack.readyState"), "the camera must be released");
        assertThat(button(alice, "Start video")).isVisible();
        screenshot(bob, "camera-off");

        long frozen = framesDecoded(bob, a, "camera");
        alice.keyboard().press("v");
        assertThat(tileOf(bob, a)).hasAttribute("data-video", "on");
        awaitPeer(bob, a, "video resumed", s -> s.path("camera").path("framesDecoded").asLong() > frozen + 10
                && s.path("videoWidth").asInt() > 0);
    }

    @Test
    void switchingCameraMidCallKeepsTheVideoFlowingWithTheOtherCamera() {
        // Chromium's fake cameras cycle through pixel formats: the second is a Y16 depth camera,
        // which WebRTC cannot encode (its video stalls), the third an MJPEG camera like most
        // webcams. So there are three, and the test switches to the third.
        TwoInCall call = twoInCall("switch", "--use-fake-device-for-media-stream=device-count=3");
        Page alice = call.alice();
        Page bob = call.bob();
        String a = call.a();

        String firstLabel = (String) alice.evaluate("() => window.myzoom.media.camera.label");
        button(alice, "Settings").click();
        Locator camera = alice.getByLabel("Camera", EXACT);
        assertEquals(3, camera.locator("option").count(), "three fake cameras expected");
        camera.selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("fake_device_2"));
        alice.waitForFunction("first => window.myzoom.media.camera && window.myzoom.media.camera.label !== first", firstLabel);
        button(alice, "Close").click();
        assertNotEquals(firstLabel, alice.evaluate("() => window.myzoom.media.camera.label"));

        long before = framesDecoded(bob, a, "camera");
        awaitPeer(bob, a, "video decoding after the switch",
                s -> s.path("camera").path("framesDecoded").asLong() > before + 20);
        assertEquals("connected", stats(bob).path(a).path("state").asText(), "no renegotiation, no reconnect");
    }

    @Test
    void aSharedScreenShowsBesideTheCameraAndStoppingReturnsToTheCamera() {
        TwoInCall call = twoInCall("screen");
        Page alice = call.alice();
        Page bob = call.bob();
        String a = call.a();

        button(alice, "Share screen").click();
        assertThat(button(alice, "Stop sharing")).isVisible();
        JsonNode sharing = awaitPeer(bob, a, "the screen decoded", s -> s.path("screen").path("framesDecoded").asLong() > 0
                && s.path("screenVideoWidth").asInt() > 0);
        double ratio = sharing.path("screen").path("frameWidth").asDouble() / sharing.path("screen").path("frameHeight").asDouble();
        assertEquals(16.0 / 9, ratio, 0.1, "a 1280x720-ish screen, not the 4:3 camera: " + sharing);
        assertThat(bob.locator(".tile.screen")).containsText("Alice's screen");
        screenshot(bob, "screen-share");

        button(alice, "Stop sharing").click();
        assertThat(bob.locator(".tile.screen")).hasCount(0);
        long before = framesDecoded(bob, a, "camera");
        awaitPeer(bob, a, "the camera still decoding", s -> s.path("camera").path("framesDecoded").asLong() > before + 10);
    }

    @Test
    void fourPeopleAt240pAllDecodeEachOtherAndTheFifthAndSixthAreToldTheRoomIsFull() {
        server = TestServer.start("VIDEO_MAX_HEIGHT", "240", "MAX_MESH_PARTICIPANTS", "4");
        List<String> nicks = List.of("Ann", "Ben", "Cat", "Dan");
        List<Page> pages = nicks.stream().map(n -> browsers.newPage()).toList();
        for (int i = 0; i < pages.size(); i++) {
            join(pages.get(i), server.url("/r/four"), nicks.get(i));
        }
        int streams = 0;
        for (Page page : pages) {
            for (Page other : pages) {
                if (page != other) {
                    awaitMedia(page, pid(other));
                    streams++;
                }
            }
        }
        assertEquals(12, streams);
        screenshot(pages.get(0), "call-4");

        Browser late = browsers.launch();
        for (String nick : List.of("Eve", "Fay")) {
            Page page = late.newContext(new Browser.NewContextOptions().setLocale("en-US")).newPage();
            page.navigate(server.url("/r/four"));
            page.getByLabel("Nickname", EXACT).fill(nick);
            button(page, "Join").click();
            assertThat(page.getByRole(AriaRole.ALERT)).hasText("This room is full (4 people at most). Try again later or pick another room."
                    + " Larger rooms need the media server, which is not available right now.");
            assertThat(page.locator("#prejoin")).isVisible();
        }
        assertThat(pages.get(0).locator(".tile")).hasCount(4);
    }

    @Test
    void leavingOrClosingTheTabRemovesTheTileAndClosesEveryConnection() {
        server = TestServer.start();
        Page alice = browsers.newPage();
        Page bob = browsers.newPage();
        Page carol = browsers.newPage();
        join(alice, server.url("/r/leave"), "Alice");
        join(bob, server.url("/r/leave"), "Bob");
        join(carol, server.url("/r/leave"), "Carol");
        String b = pid(bob);
        String c = pid(carol);
        awaitMedia(alice, b);
        awaitMedia(alice, c);
        awaitMedia(bob, c);

        bob.evaluate("() => { window.pcs = window.myzoom.transport.peers().map((p) => p.pc); }");
        alice.evaluate("b => { window.toBob = window.myzoom.transport.peers().find((p) => p.pid === b).pc; }", b);
        button(bob, "Leave").click();
        assertThat(tileOf(alice, b)).hasCount(0);
        assertThat(bob.getByText("You left the room.")).isVisible();
        assertEquals(Boolean.TRUE, bob.evaluate("() => window.pcs.length === 2 && window.pcs.every((pc) => pc.connectionState === 'closed')"));
        assertEquals("closed", alice.evaluate("() => window.toBob.connectionState"));
        assertEquals(Boolean.TRUE, bob.evaluate("() => window.myzoom.media.camera === null"), "the camera light goes off on leaving");

        alice.evaluate("c => { window.toCarol = window.myzoom.transport.peers().find((p) => p.pid === c).pc; }", c);
        carol.close();
        assertThat(tileOf(alice, c)).hasCount(0);
        assertEquals("closed", alice.evaluate("() => window.toCarol.connectionState"));
        assertEquals(0, ((Number) alice.evaluate("() => window.myzoom.transport.peers().length")).intValue());
    }

    @Test
    void afterAServerRestartMidCallTheCallAndTheChatComeBack() {
        int port = TestServer.freePort();
        server = TestServer.start("PORT", String.valueOf(port));
        Page alice = browsers.newPage();
        Page bob = browsers.newPage();
        join(alice, server.url("/r/restart"), "Alice");
        join(bob, server.url("/r/restart"), "Bob");
        awaitMedia(alice, pid(bob));

        server.close();
        assertThat(alice.getByText("Connection lost. Reconnecting…")).isVisible();
        server = TestServer.start("PORT", String.valueOf(port));
        assertThat(alice.getByText("Reconnected and back in the room.")).isVisible(
                new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(20_000));
        assertThat(bob.getByText("Reconnected and back in the room.")).isVisible(
                new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(20_000));
        awaitMedia(alice, pid(bob));
        awaitMedia(bob, pid(alice));
        assertThat(alice.locator(".tile")).hasCount(2);

        say(bob, "back again");
        assertThat(alice.locator("#chat-log li:not(.notice) .body")).hasText("Bob: back again");
    }

    @Test
    void whenCameraAndMicrophoneAreRefusedThePageSaysSoAndYouCanStillJoinAndChat() {
        server = TestServer.start();
        Page refused = browsers.newPage("--use-fake-ui-for-media-stream=deny");
        Page other = browsers.newPage();
        join(other, server.url("/r/refused"), "Other");
        refused.navigate(server.url("/r/refused"));
        assertThat(refused.getByText("Camera and microphone are blocked.", new Page.GetByTextOptions().setExact(false))).isVisible();
        refused.getByLabel("Nickname", EXACT).fill("NoCam");
        button(refused, "Join").click();
        assertThat(refused.getByText("You joined as NoCam")).isVisible();
        String r = pid(refused);
        assertThat(tileOf(other, r)).hasAttribute("data-video", "off");
        assertThat(tileOf(other, r)).hasAttribute("data-audio", "off");
        say(refused, "I can only type");
        assertThat(other.locator("#chat-log li:not(.notice) .body")).hasText("NoCam: I can only type");
        awaitMedia(refused, pid(other)); // and still sees and hears the others
    }

    @Test
    void withoutACameraYouJoinWithAudioOnly() {
        server = TestServer.start();
        Page noCamera = browsers.newPage("--use-fake-device-for-media-stream=device-count=0");
        Page other = browsers.newPage();
        join(other, server.url("/r/audio-only"), "Other");
        noCamera.navigate(server.url("/r/audio-only"));
        assertThat(noCamera.getByText("No camera is available. You can join with audio only.")).isVisible();
        noCamera.getByLabel("Nickname", EXACT).fill("Voice");
        button(noCamera, "Join").click();
        String v = pid(noCamera);
        assertThat(tileOf(other, v)).hasAttribute("data-video", "off");
        assertThat(tileOf(other, v)).hasAttribute("data-audio", "on");
        awaitPeer(other, v, "audio from the camera-less participant",
                s -> s.path("audio").path("packetsReceived").asLong() > 0);
    }
}
