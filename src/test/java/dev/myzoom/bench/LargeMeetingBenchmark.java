package dev.myzoom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.Call;
import dev.myzoom.support.SfuPage;
import dev.myzoom.support.SfuServer;
import dev.myzoom.support.SyntheticPublishers;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A room of 50 on this machine: one real Chromium viewer, 47 synthetic publishers (160x120
 * VP8 at 10 fps, one ffmpeg) and two listeners without media. Prints what the crowd's joins cost
 * someone already there, and, for the grid at 25 and at 9 a page and for the speaker
 * view: the viewer's video receive rate and decode time (the sum of its streams' totalDecodeTime
 * per second: decoding's share of one core), Janus's CPU, the signaling messages per second to
 * the viewer and to one other participant, and the time from a page turn to a frame on every
 * tile of the new page. Run in the namespace:
 * {@code .ci/netns ./mvnw -o test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.myzoom.bench.LargeMeetingBenchmark}
 */
public final class LargeMeetingBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MEASURE_MS = 10_000;
    private static final String DECODE = """
            async () => {
              let bytes = 0, decode = 0, playing = 0;
              for (const pc of window.__connections) {
                (await pc.getStats()).forEach((s) => {
                  if (s.type !== 'inbound-rtp' || s.kind !== 'video') return;
                  bytes += s.bytesReceived ?? 0;
                  decode += s.totalDecodeTime ?? 0;
                  playing += s.framesDecoded ?? 0;
                });
              }
              return { bytes, decode, frames: playing };
            }""";

    public static void main(String[] args) throws Exception {
        try (TestServer server = SfuServer.start("SFU_FROM", "1", "VIDEO_MAX_HEIGHT", "180",
                "JANUS_ROOM_KEY", SyntheticPublishers.ROOM_KEY, "IDLE_TIMEOUT_SECONDS", "600");
                Browsers browsers = Browsers.start()) {
            String room = "fifty";
            Page viewer = browsers.newPage();
            SfuPage.record(viewer);
            viewer.addInitScript("localStorage.setItem('myzoom.pageSize', '25')");
            SfuPage.countMessages(viewer);
            Call.join(viewer, server.url("/r/" + room), "Viewer");
            SfuPage.await(viewer, "the viewer's camera on Janus", s -> s.path("upstream").path("state").asText().equals("connected"));
            long janus = server.app().janus().orElseThrow().local().orElseThrow().pid().orElseThrow();
            // Someone already there when the crowd comes: what 48 joins cost them.
            WsClient early = server.connect();
            early.ok("join", "room", room, "nick", "Early");
            early.drain(java.time.Duration.ofSeconds(1));
            long viewerBefore = SfuPage.received(viewer);
            long crowdStart = System.nanoTime();
            try (SyntheticPublishers crowd = SyntheticPublishers.start(server, room, 47, "Guest ")) {
                List<String> pids = crowd.pids();
                // The viewer, Early (no camera) and guests 1-23 on the first page of 25.
                for (String pid : pids.subList(0, 23)) {
                    SfuPage.awaitVideoFrom(viewer, pid);
                }
                double crowdSeconds = (System.nanoTime() - crowdStart) / 1e9;
                System.out.printf("47 joins in %.1f s: %d messages to someone already there (no media), %d to the viewer%n",
                        crowdSeconds, early.drain(java.time.Duration.ofMillis(200)).size(), SfuPage.received(viewer) - viewerBefore);
                System.out.printf("a room of %d: 1 Chromium viewer, %d synthetic publishers (160x120 VP8, 10 fps), 2 listeners on a WebSocket%n", pids.size() + 3, pids.size());
                WsClient listener = server.connect();
                listener.ok("join", "room", room, "nick", "Listener");
                listener.drain(java.time.Duration.ofSeconds(2));
                measure("grid, 25 a page (23 cameras shown)", viewer, janus, listener);
                viewer.locator("#settings").click();
                viewer.locator("#page-size").selectOption("9");
                viewer.locator("#settings-close").click();
                viewer.waitForTimeout(3000);
                measure("grid, 9 a page (7 cameras shown)", viewer, janus, listener);
                List<Long> turns = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    turns.add(turn(viewer, pids, i % 2 == 0 ? "PageDown" : "PageUp", i % 2 == 0 ? 1 : 0));
                }
                Collections.sort(turns);
                System.out.printf("page turn (9 a page) to a new frame on every tile of the new page, 5 turns: median %d ms (%d to %d)%n",
                        turns.get(2), turns.get(0), turns.get(4));
                viewer.keyboard().press("g");
                viewer.waitForTimeout(3000);
                measure("speaker view (stage + strip of 6)", viewer, janus, listener);
                listener.close();
                early.close();
            }
        }
    }

    private static void measure(String what, Page viewer, long janus, WsClient listener) throws Exception {
        JsonNode before = JSON.valueToTree(viewer.evaluate(DECODE));
        long receivedBefore = SfuPage.received(viewer);
        long janusBefore = SfuBenchmark.cpuTicks(janus);
        listener.drain(java.time.Duration.ofMillis(1));
        viewer.waitForTimeout(MEASURE_MS);
        JsonNode after = JSON.valueToTree(viewer.evaluate(DECODE));
        long janusTicks = SfuBenchmark.cpuTicks(janus) - janusBefore;
        int heard = listener.drain(java.time.Duration.ofMillis(1)).size();
        double seconds = MEASURE_MS / 1000.0;
        System.out.printf("%s: video received %.0f kbit/s, decode %.1f %% of a core, %.1f frames/s decoded, Janus CPU %.1f %%,"
                        + " signaling to the viewer %.1f messages/s, to another participant %.1f messages/s%n",
                what, (after.path("bytes").asLong() - before.path("bytes").asLong()) * 8 / 1000.0 / seconds,
                (after.path("decode").asDouble() - before.path("decode").asDouble()) * 100 / seconds,
                (after.path("frames").asLong() - before.path("frames").asLong()) / seconds,
                janusTicks / seconds, (SfuPage.received(viewer) - receivedBefore) / seconds,
                heard / seconds);
    }

    /** Turns the grid's page; returns the ms until every tile of the page it lands on has a new frame. */
    private static long turn(Page viewer, List<String> pids, String key, int toPage) {
        // 9 a page, the viewer and Early first: page 1 holds guests 1-7, page 2 guests 8-16.
        List<String> shown = toPage == 0 ? pids.subList(0, 7) : pids.subList(7, 16);
        JsonNode before = SfuPage.state(viewer);
        long start = System.nanoTime();
        viewer.keyboard().press(key);
        SfuPage.await(viewer, "frames on every tile of the page", s -> shown.stream().allMatch(pid ->
                s.path("peers").path(pid).path("camera").path("framesDecoded").asLong()
                        > before.path("peers").path(pid).path("camera").path("framesDecoded").asLong()));
        long ms = (System.nanoTime() - start) / 1_000_000;
        viewer.waitForTimeout(1500);
        return ms;
    }
}
