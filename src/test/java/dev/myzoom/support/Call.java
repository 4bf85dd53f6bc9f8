package dev.myzoom.support;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.time.Duration;
import java.util.function.Predicate;

/** What a test reads off a room page in a call: WebRTC stats per remote participant, polled. */
public final class Call {
    public static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final ObjectMapper JSON = new ObjectMapper();

    // Inbound RTP per remote participant and slot (audio, camera, screen), found by transceiver mid.
    private static final String STATS = """
            async () => {
              const out = {};
              const transport = window.myzoom.transport;
              if (!transport) return out;
              for (const peer of transport.peers()) {
                const mids = peer.pc.getTransceivers().map((t) => t.mid);
                const r = { state: peer.pc.connectionState };
                const stats = await peer.pc.getStats();
                stats.forEach((s) => {
                  if (s.type !== 'inbound-rtp') return;
                  const slot = ['audio', 'camera', 'screen'][mids.indexOf(s.mid)];
                  if (slot) r[slot] = { framesDecoded: s.framesDecoded ?? 0, frameWidth: s.frameWidth ?? 0,
                    frameHeight: s.frameHeight ?? 0, packetsReceived: s.packetsReceived ?? 0,
                    totalAudioEnergy: s.totalAudioEnergy ?? 0 };
                });
                const video = document.querySelector(`.tile[data-pid="${peer.pid}"]:not(.screen) video`);
                r.videoWidth = video ? video.videoWidth : 0;
                const screen = document.querySelector(`.tile.screen[data-pid="${peer.pid}"] video`);
                r.screenVideoWidth = screen ? screen.videoWidth : 0;
                out[peer.pid] = r;
              }
              return out;
            }""";

    private Call() {}

    /** Goes through the room page's pre-join screen and joins. */
    public static void join(Page page, String url, String nick) {
        page.navigate(url);
        page.getByLabel("Nickname", new Page.GetByLabelOptions().setExact(true)).fill(nick);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join").setExact(true)).click();
        // Attached, not visible: on a narrow screen the chat with this notice starts closed.
        page.getByText("You joined as " + nick).waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        page.locator("#meeting").waitFor();
    }

    public static String pid(Page page) {
        return (String) page.evaluate("() => window.myzoom.connection.pid");
    }

    /** Stats keyed by remote pid. */
    public static JsonNode stats(Page page) {
        return JSON.valueToTree(page.evaluate(STATS));
    }

    /** Polls the page's stats until {@code wanted} holds for the peer {@code pid}; returns them. */
    public static JsonNode awaitPeer(Page page, String pid, String what, Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = stats(page).path(pid);
            if (!last.isMissingNode() && wanted.test(last)) {
                return last;
            }
            page.waitForTimeout(250);
        }
        return fail("within " + PATIENCE + ", never saw " + what + " from " + pid + "; last stats: " + last);
    }

    /** Starts timing the frames of {@code pid}'s camera tile on the page, whatever its track. */
    public static void watchFrames(Page page, String pid) {
        page.evaluate("pid => { const gaps = window.__gaps = { last: 0, max: 0, frames: 0 };"
                + " const video = () => document.querySelector(`.tile:not(.screen)[data-pid=\"${pid}\"] video`);"
                + " const tick = (now) => { if (gaps.last) gaps.max = Math.max(gaps.max, now - gaps.last); gaps.last = now; gaps.frames++;"
                + " video()?.requestVideoFrameCallback(tick); }; video().requestVideoFrameCallback(tick); }", pid);
    }

    /**
     * The longest time between two frames of the watched tile, in ms, counting the time since its
     * last frame (a tile that froze and never came back counts).
     */
    public static double longestGap(Page page) {
        return ((Number) page.evaluate("() => Math.max(window.__gaps.max, performance.now() - window.__gaps.last)")).doubleValue();
    }

    /** How many frames of the watched tile were shown. */
    public static long framesShown(Page page) {
        return ((Number) page.evaluate("() => window.__gaps.frames")).longValue();
    }

    /** Remote camera video decoding and shown, and remote audio arriving. */
    public static JsonNode awaitMedia(Page page, String pid) {
        return awaitPeer(page, pid, "video decoded and audio received", s ->
                s.path("camera").path("framesDecoded").asLong() > 0 && s.path("videoWidth").asInt() > 0
                        && s.path("audio").path("packetsReceived").asLong() > 0);
    }
}
