package dev.myzoom.media;

import static dev.myzoom.support.Call.pid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.Call;
import dev.myzoom.support.SfuPage;
import dev.myzoom.support.SfuServer;
import dev.myzoom.support.SyntheticPublishers;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.Voice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The views of a larger meeting through the SFU, on real pages: the speaker view follows the
 * media server's talk detection, a pin holds the stage, a shared screen takes it, and a page of
 * the grid receives only the video it shows and turns without a new offer.
 */
class MeetingViewsBrowserTest {
    TestServer server;
    Browsers browsers;

    @BeforeEach
    void start() {
        browsers = Browsers.start();
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

    /** Joins with the microphone off from the start: no sound reaches the media server before it is turned on. */
    static void joinMuted(Page page, String url, String nick) {
        page.navigate(url);
        page.getByLabel("Nickname", new Page.GetByLabelOptions().setExact(true)).fill(nick);
        page.locator("#pre-mic").click();
        page.waitForFunction("() => window.myzoom.media.micOn === false");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join").setExact(true)).click();
        page.locator("#meeting").waitFor();
    }

    static String onStage(Page page) {
        return (String) page.evaluate("() => { const t = document.querySelector('#stage .tile.on-stage');"
                + " return t ? (t.dataset.slot === 'screen' ? 'screen:' : '') + t.dataset.pid : null; }");
    }

    /** Waits until {@code who} is on the page's stage; returns how long it took, in ms. */
    static long awaitStage(Page page, String who, String what) {
        long start = System.nanoTime();
        long deadline = start + Call.PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (who.equals(onStage(page))) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            page.waitForTimeout(50);
        }
        throw new AssertionError("never saw " + what + " on the stage; it shows " + onStage(page));
    }

    /** A page whose connections the test can read (SfuPage). */
    Page watcher() {
        Page page = browsers.newPage();
        SfuPage.record(page);
        return page;
    }

    static void toggleMic(Page page) {
        page.locator("#mic").click();
    }

    @Test
    void theSpeakerViewFollowsTheVoiceAPinHoldsItAndAScreenTakesIt() {
        // 720 lines, so that the cameras go up in three layers (Chromium sends fewer for small ones).
        server = SfuServer.start("SFU_FROM", "1", "VIDEO_MAX_HEIGHT", "720");
        String url = server.url("/r/speaker-view");
        Page ana = watcher();
        Page ben = browsers.newPage(Voice.flag());
        Page cy = browsers.newPage(Voice.flag());
        joinMuted(ana, url, "Ana");
        // Ana only watches: one encoder fewer on two cores.
        ana.keyboard().press("v");
        joinMuted(ben, url, "Ben");
        joinMuted(cy, url, "Cy");
        String benPid = pid(ben);
        String cyPid = pid(cy);
        SfuPage.awaitVideoFrom(ana, benPid);
        SfuPage.awaitVideoFrom(ana, cyPid);
        ana.keyboard().press("g");
        ana.locator("#stage.speaker-view").waitFor();
        assertEquals("Grid view", ana.locator("#view-toggle").textContent(), "the button says what it switches to");

        // Before anyone talks the stage shows the first of the others, Ben. Among the silent, the
        // one who talks takes it; then the next one.
        assertEquals(benPid, onStage(ana));
        toggleMic(cy);
        long toCy = awaitStage(ana, cyPid, "Cy, who talks");
        toggleMic(cy);
        toggleMic(ben);
        long toBen = awaitStage(ana, benPid, "Ben, who talks next");
        System.out.printf("speaker view: the stage moved to the one who talks after %d ms, to the next after %d ms%n", toCy, toBen);

        // A pin holds the stage while someone else talks.
        ana.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pin Cy to the stage")).click();
        awaitStage(ana, cyPid, "pinned Cy");
        ana.waitForTimeout(3000);
        assertEquals(cyPid, onStage(ana), "Ben talks, but Cy is pinned");
        // The strip's tile is small, so it gets a smaller layer than the stage.
        Map<String, Integer> heights = new HashMap<>();
        SfuPage.await(ana, "a smaller layer in the strip than on the stage", s -> {
            heights.put("stage", s.path("peers").path(cyPid).path("camera").path("frameHeight").asInt());
            heights.put("strip", s.path("peers").path(benPid).path("camera").path("frameHeight").asInt());
            return heights.get("strip") > 0 && heights.get("strip") < heights.get("stage");
        });
        System.out.printf("speaker view: the stage receives %d lines, a tile of the strip %d%n", heights.get("stage"), heights.get("strip"));

        // A shared screen takes the stage, pin or not; when it ends, the pin holds it again.
        ben.locator("#share").click();
        awaitStage(ana, "screen:" + benPid, "Ben's screen");
        ben.locator("#share").click();
        awaitStage(ana, cyPid, "pinned Cy, once the share ends");
    }

    @Test
    void afterMuteEveryoneNoVoiceReachesAnyoneThroughTheMediaServer() {
        server = SfuServer.start("SFU_FROM", "1", "VIDEO_MAX_HEIGHT", "180");
        String url = server.url("/r/mute-everyone");
        Page ana = watcher();
        joinMuted(ana, url, "Ana");
        List<Page> guests = new ArrayList<>();
        List<String> pids = new ArrayList<>();
        for (String nick : List.of("Ben", "Cy")) {
            Page page = browsers.newPage(Voice.flag());
            SfuPage.record(page);
            Call.join(page, url, nick);
            guests.add(page);
            pids.add(pid(page));
        }
        for (String pid : pids) {
            SfuPage.await(ana, "the voice of " + pid, s -> s.path("peers").path(pid).path("audio").path("packetsReceived").asLong() > 0);
        }
        SfuPage.await(guests.get(0), "Cy's voice on Ben's page", s -> s.path("peers").path(pids.get(1)).path("audio").path("packetsReceived").asLong() > 0);
        ana.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mute everyone").setExact(true)).click();
        for (Page guest : guests) {
            guest.waitForFunction("() => window.myzoom.media.micOn === false");
        }
        ana.waitForTimeout(1000);
        long[] before = voices(ana, guests, pids);
        ana.waitForTimeout(3000);
        long[] after = voices(ana, guests, pids);
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i], after[i], "voice packets still arriving after mute everyone (Ana from Ben, Ana from Cy, Ben from Cy, Cy from Ben)");
        }
    }

    /** Voice packets received: on Ana's page of each guest, then on each guest's page of the other. */
    static long[] voices(Page ana, List<Page> guests, List<String> pids) {
        JsonNode onAna = SfuPage.state(ana);
        JsonNode onBen = SfuPage.state(guests.get(0));
        JsonNode onCy = SfuPage.state(guests.get(1));
        return new long[] {
            onAna.path("peers").path(pids.get(0)).path("audio").path("packetsReceived").asLong(),
            onAna.path("peers").path(pids.get(1)).path("audio").path("packetsReceived").asLong(),
            onBen.path("peers").path(pids.get(1)).path("audio").path("packetsReceived").asLong(),
            onCy.path("peers").path(pids.get(0)).path("audio").path("packetsReceived").asLong(),
        };
    }

    @Test
    void aPageOfTheGridReceivesOnlyTheVideoItShowsAndTurnsWithoutANewOffer() {
        server = SfuServer.start("SFU_FROM", "1", "VIDEO_MAX_HEIGHT", "180");
        String url = server.url("/r/grid-pages");
        Page ana = watcher();
        // Four tiles a page: Ana and the first three on the first, the fourth on the second.
        ana.addInitScript("localStorage.setItem('myzoom.pageSize', '4')");
        joinMuted(ana, url, "Ana");
        List<String> others = new ArrayList<>();
        for (String nick : List.of("Ben", "Cy", "Dee", "Eve")) {
            Page page = browsers.newPage();
            joinMuted(page, url, nick);
            others.add(pid(page));
        }
        List<String> firstPage = others.subList(0, 3);
        String onSecond = others.get(3);
        for (String pid : others) {
            ana.locator(".tile[data-pid=\"" + pid + "\"]").waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
                    .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        }
        assertEquals("Page 1 of 2", ana.locator("#page-label").textContent());
        for (String pid : firstPage) {
            SfuPage.awaitVideoFrom(ana, pid);
        }
        // A newcomer's video comes until the page says where its tile is; from then on, only what is shown.
        awaitRates(ana, others, "the first page's tiles playing and the second page's not",
                rates -> firstPage.stream().allMatch(pid -> rates.get(pid) > 0) && rates.get(onSecond) == 0);
        // Offers are counted from here, once the last join's negotiation is over (CI once saw it land during the turn).
        SfuPage.await(ana, "the subscription settled", st -> st.path("sending").size() > 0
                && (Boolean) ana.evaluate("() => window.__connections.every((pc) => pc.signalingState === 'stable' || pc.signalingState === 'closed')"));
        ana.evaluate("() => { window.__offers = 0; window.myzoom.connection.addEventListener('subscription', () => window.__offers++); }");
        long shownBytes = videoBytesPerSecond(ana);

        long turnedAt = System.nanoTime();
        ana.keyboard().press("PageDown");
        long before = SfuPage.state(ana).path("peers").path(onSecond).path("camera").path("framesDecoded").asLong();
        SfuPage.await(ana, "a frame of the tile on the second page", s -> s.path("peers").path(onSecond).path("camera").path("framesDecoded").asLong() > before);
        long firstFrame = (System.nanoTime() - turnedAt) / 1_000_000;
        assertEquals("Page 2 of 2", ana.locator("#page-label").textContent());
        awaitRates(ana, others, "the second page's tile playing and the first page's not",
                rates -> rates.get(onSecond) > 0 && firstPage.stream().allMatch(pid -> rates.get(pid) == 0));
        long oneBytes = videoBytesPerSecond(ana);
        System.out.printf("grid pages: first new frame %d ms after the page turned; video received %d kbit/s for 3 tiles, %d kbit/s for 1%n",
                firstFrame, shownBytes * 8 / 1000, oneBytes * 8 / 1000);
        assertEquals(0L, ((Number) ana.evaluate("() => window.__offers")).longValue(), "the page turned without a new offer");
    }

    @Test
    void aRoomOfThirtyFeedsShowsNineAPageAndReceivesOnlyThose() {
        server = SfuServer.start("SFU_FROM", "1", "VIDEO_MAX_HEIGHT", "180", "JANUS_ROOM_KEY", SyntheticPublishers.ROOM_KEY,
                "IDLE_TIMEOUT_SECONDS", "600");
        String room = "thirty-feeds";
        Page ana = watcher();
        ana.addInitScript("localStorage.setItem('myzoom.pageSize', '9')");
        SfuPage.countMessages(ana);
        joinMuted(ana, server.url("/r/" + room), "Ana");
        SfuPage.await(ana, "Ana's camera on the media server", s -> s.path("upstream").path("state").asText().equals("connected"));
        try (SyntheticPublishers guests = SyntheticPublishers.start(server, room, 29, "Guest ")) {
            List<String> pids = guests.pids();
            ana.locator(".tile[data-pid=\"" + pids.get(28) + "\"]").waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
                    .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
            assertEquals("Page 1 of 4", ana.locator("#page-label").textContent(), "30 tiles, 9 a page");
            // The first page: Ana and guests 1 to 8.
            for (String pid : pids.subList(0, 8)) {
                try {
                    SfuPage.awaitVideoFrom(ana, pid);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nffmpeg: " + guests.ffmpegLog(), e);
                }
            }
            ana.evaluate("() => { window.__offers = 0; window.myzoom.connection.addEventListener('subscription', () => window.__offers++); }");
            List<String> firstPage = pids.subList(0, 8);
            awaitRates(ana, pids, "the first page's 8 others playing, nobody else",
                    rates -> playing(rates) == 8 && firstPage.stream().allMatch(pid -> rates.get(pid) > 0));
            long firstBytes = videoBytesPerSecond(ana);

            long turnedAt = System.nanoTime();
            ana.keyboard().press("PageDown");
            List<String> second = pids.subList(8, 17);
            JsonNode before = SfuPage.state(ana);
            SfuPage.await(ana, "new frames on the second page", s -> second.stream().allMatch(pid ->
                    s.path("peers").path(pid).path("camera").path("framesDecoded").asLong()
                            > before.path("peers").path(pid).path("camera").path("framesDecoded").asLong()));
            long allPlaying = (System.nanoTime() - turnedAt) / 1_000_000;
            assertEquals("Page 2 of 4", ana.locator("#page-label").textContent());
            awaitRates(ana, pids, "exactly the second page's 9 videos playing",
                    rates -> playing(rates) == 9 && second.stream().allMatch(pid -> rates.get(pid) > 0));
            assertEquals(0L, ((Number) ana.evaluate("() => window.__offers")).longValue(), "the page turned without a new offer");
            long secondBytes = videoBytesPerSecond(ana);
            long received = SfuPage.received(ana);
            ana.waitForTimeout(10_000);
            double messagesPerSecond = (SfuPage.received(ana) - received) / 10.0;
            long offerBytes = ((Number) ana.evaluate("() => window.__connections.find((pc) => pc.remoteDescription?.type === 'offer')"
                    + "?.remoteDescription.sdp.length ?? 0")).longValue();
            System.out.printf("30 feeds, 9 a page: all 9 tiles of the next page played %d ms after the turn; video received %d kbit/s"
                    + " for 8 tiles, %d kbit/s for 9 (of 29 in the room); %.1f signaling messages a second to the viewer;"
                    + " the subscription offer is %d bytes%n",
                    allPlaying, firstBytes * 8 / 1000, secondBytes * 8 / 1000, messagesPerSecond, offerBytes);

            // The last page: the last guests came when the room was big, so the news of them came
            // gathered (a roster message), after the media server's offer of their feeds.
            for (String label : List.of("Page 3 of 4", "Page 4 of 4")) {
                ana.keyboard().press("PageDown");
                ana.locator("#page-label", new Page.LocatorOptions().setHasText(label)).waitFor();
            }
            for (String pid : pids.subList(26, 29)) {
                SfuPage.awaitVideoFrom(ana, pid);
            }

            // A hidden tab receives no video at all.
            ana.evaluate("() => { Object.defineProperty(document, 'hidden', { value: true, configurable: true });"
                    + " document.dispatchEvent(new Event('visibilitychange')); }");
            awaitRates(ana, pids, "a hidden tab receiving no video", rates -> playing(rates) == 0);

            // The participant list finds one person among thirty.
            ana.getByLabel("Find a participant").fill("Guest 17");
            assertEquals(1, ana.locator("#people li").count(), "one person matches");
            assertTrue(ana.locator("#people li").textContent().contains("Guest 17"));
        }
    }

    /** Measures frames per second until {@code wanted} holds of them, for as long as a call may take. */
    static Map<String, Long> awaitRates(Page page, List<String> pids, String what, java.util.function.Predicate<Map<String, Long>> wanted) {
        long deadline = System.nanoTime() + Call.PATIENCE.toNanos();
        Map<String, Long> rates = Map.of();
        while (System.nanoTime() < deadline) {
            rates = framesPerSecond(page, pids);
            if (wanted.test(rates)) {
                return rates;
            }
        }
        throw new AssertionError("within " + Call.PATIENCE + ", never saw " + what + "; frames a second: " + rates);
    }

    static long playing(Map<String, Long> rates) {
        return rates.values().stream().filter(rate -> rate > 0).count();
    }

    /** Frames decoded per second of each pid's camera on the page, over a second. */
    static Map<String, Long> framesPerSecond(Page page, List<String> pids) {
        JsonNode first = SfuPage.state(page);
        page.waitForTimeout(1000);
        JsonNode second = SfuPage.state(page);
        Map<String, Long> rates = new HashMap<>();
        for (String pid : pids) {
            rates.put(pid, second.path("peers").path(pid).path("camera").path("framesDecoded").asLong()
                    - first.path("peers").path(pid).path("camera").path("framesDecoded").asLong());
        }
        return rates;
    }

    /** Video bytes received per second by the page, over two seconds. */
    static long videoBytesPerSecond(Page page) {
        long first = videoBytes(SfuPage.state(page));
        page.waitForTimeout(2000);
        return (videoBytes(SfuPage.state(page)) - first) / 2;
    }

    static long videoBytes(JsonNode state) {
        long sum = 0;
        for (JsonNode peer : state.path("peers")) {
            sum += peer.path("camera").path("bytesReceived").asLong();
        }
        return sum;
    }
}
