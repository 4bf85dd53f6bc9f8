package dev.myzoom.recording;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.myzoom.support.Call.join;
import static dev.myzoom.support.Call.pid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.myzoom.admin.AdminClient;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.Missing;
import dev.myzoom.support.SfuPage;
import dev.myzoom.support.SfuServer;
import dev.myzoom.support.TestServer;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A meeting recorded end to end: two Chromium pages with fake cameras and microphones, the
 * server's own Janus, the host's Record button, and the file that comes out of janus-pp-rec and
 * ffmpeg, played to its end in Chromium and looked at frame by frame.
 */
class RecordingBrowserTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_PASSWORD = "correct horse battery";
    static final Page.GetByRoleOptions EXACT = new Page.GetByRoleOptions().setExact(true);

    @TempDir
    Path recordings;
    TestServer server;
    Browsers browsers;
    final List<Page> pages = new ArrayList<>();

    @BeforeEach
    void start() {
        Tools.find().orElseGet(() -> {
            Missing.skipOrFail("janus-pp-rec or ffmpeg is missing (apt-get install janus-tools ffmpeg)", "recording tests");
            return null;
        });
        browsers = Browsers.start();
        server = SfuServer.start("SFU_FROM", "3", "RECORDINGS_DIR", recordings.toString(), "ADMIN_PASSWORD", ADMIN_PASSWORD,
                "RECORDING_LINK_HOURS", "1");
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

    Page page() {
        Page page = browsers.newPage();
        SfuPage.record(page);
        pages.add(page);
        return page;
    }

    @Test
    void theHostRecordsAndGetsOneFileWithEveryoneInItThatChromiumPlaysToTheEnd() throws Exception {
        String url = server.url("/r/recorded");
        Page ana = page();
        Page ben = page();
        join(ana, url, "Ana");
        join(ben, url, "Ben");
        // Two people: browser to browser, until the recording takes the room to the SFU.
        assertEquals("mesh", SfuPage.state(ana).path("mode").asText());
        ana.evaluate("() => { window.__progress = []; window.myzoom.connection.on('recordingProgress', (p) => window.__progress.push(p.percent)); }");

        // Only the host has the button, and the server refuses anyone else.
        assertThat(ben.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Record").setExact(true))).isHidden();
        assertEquals("not_host", ben.evaluate("() => window.myzoom.connection.request('record', { on: true }).then(() => 'ok', (e) => e.code)"));

        Locator record = ana.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Record").setExact(true));
        record.click();
        long startedAt = System.nanoTime();
        // Everyone sees the indicator and is told who started it; the room moves to the SFU.
        for (Page page : List.of(ana, ben)) {
            assertThat(page.getByRole(AriaRole.IMG, new Page.GetByRoleOptions().setName("This meeting is being recorded"))).isVisible();
            assertThat(page.getByRole(AriaRole.LOG)).containsText("Ana started recording the meeting");
        }
        SfuPage.await(ana, "the SFU", s -> "sfu".equals(s.path("mode").asText()));
        SfuPage.awaitMediaFrom(ana, pid(ben));
        SfuPage.awaitMediaFrom(ben, pid(ana));
        long bothInMs = (System.nanoTime() - startedAt) / 1_000_000;
        ben.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/recording.png")));
        // Someone about to join is told before joining.
        Page cy = browsers.newPage();
        cy.navigate(url);
        assertThat(cy.getByText("This meeting is being recorded. If you join, you will be in the recording.")).isVisible();
        cy.close();

        // Ten seconds, and on a slow machine long enough that both cameras are in its middle.
        long wanted = Math.max(10_000, 2 * bothInMs + 3_000);
        long left = wanted - (System.nanoTime() - startedAt) / 1_000_000;
        if (left > 0) {
            Thread.sleep(left);
        }
        ana.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop recording").setExact(true)).click();
        long recordedMs = (System.nanoTime() - startedAt) / 1_000_000;
        for (Page page : List.of(ana, ben)) {
            assertThat(page.getByRole(AriaRole.IMG, new Page.GetByRoleOptions().setName("This meeting is being recorded"))).isHidden();
            assertThat(page.getByRole(AriaRole.LOG)).containsText("Ana stopped the recording.");
        }
        long stoppedAt = System.nanoTime();
        Locator play = ana.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Play").setExact(true));
        play.waitFor(new Locator.WaitForOptions().setTimeout(120_000));
        long processedMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        String link = play.getAttribute("href");
        // For the README: the host's page with the link (looked at, not asserted).
        ana.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/recording-ready.png")));
        Object progress = ana.evaluate("() => window.__progress");
        assertTrue(progress instanceof List<?> list && !list.isEmpty(), "the host saw the file's progress: " + progress);

        // The file: one video and one audio track, as long as the recording.
        String id = link.replaceAll("^/recordings/([0-9a-f]{32})\\.mp4.*$", "$1");
        Path file = recordings.resolve(id + ".mp4");
        assertTrue(Files.isRegularFile(file), "the file is in RECORDINGS_DIR: " + file);
        JsonNode probe = probe(file);
        List<String> kinds = new ArrayList<>();
        probe.path("streams").forEach(s -> kinds.add(s.path("codec_type").asText()));
        assertEquals(List.of("video", "audio"), kinds, "one video and one audio track");
        double seconds = probe.path("format").path("duration").asDouble();
        System.out.printf("recording: %d ms recorded, file %.2f s, %d bytes, made in %d ms after the stop%n", recordedMs, seconds,
                Files.size(file), processedMs);
        assertTrue(Math.abs(seconds * 1000 - recordedMs) < 2000, "file of " + seconds + " s for " + recordedMs + " ms recorded");

        // A frame from the middle shows both cameras, each in its half of the grid.
        assertTrue(seconds / 2 > bothInMs / 1000.0 + 1, "the middle is after both cameras were in");
        BufferedImage middle = frame(file, seconds / 2);
        for (var cell : Layout.cells(2, false)) {
            double luma = meanLuma(middle, cell);
            assertTrue(luma > 60, "a camera's picture in " + cell + " (mean luma " + luma + ")");
        }
        assertTrue(meanLuma(middle, new Layout.Cell(0, 0, Layout.WIDTH, 40)) < 45, "the background between the cameras stays dark");

        // It plays in Chromium to its end, from the host's signed link.
        Page viewer = page();
        viewer.navigate(server.url("/"));
        Object ended = viewer.evaluate("""
                async (src) => {
                  const video = document.createElement('video');
                  video.muted = true;
                  video.src = src;
                  document.body.append(video);
                  await new Promise((ok, fail) => { video.onloadedmetadata = ok; video.onerror = () => fail(new Error('error ' + video.error?.code)); });
                  video.playbackRate = 4;
                  await video.play();
                  await new Promise((ok) => { video.onended = ok; });
                  return { ended: video.ended, duration: video.duration, width: video.videoWidth, height: video.videoHeight };
                }""", link);
        JsonNode played = JSON.valueToTree(ended);
        assertTrue(played.path("ended").asBoolean(), "the video reached its end: " + played);
        assertEquals(1280, played.path("width").asInt());
        assertTrue(Math.abs(played.path("duration").asDouble() * 1000 - recordedMs) < 2000, "Chromium's duration: " + played);

        // The link is the only way in without the admin: wrong or missing signatures are refused,
        // and an expiry moved later breaks the signature.
        assertEquals(200, status(link));
        assertEquals(403, status("/recordings/" + id + ".mp4"));
        assertEquals(403, status(link.replaceAll("sig=[0-9a-f]{4}", "sig=0000")));
        assertEquals(403, status(link.replaceAll("expires=(\\d+)", "expires=9$1")));
        assertEquals(404, status("/recordings/../" + id + ".mp4"));

        // The admin lists it as ready, plays it with the session, and deletes it, file and all.
        AdminClient admin = new AdminClient(server.url(""));
        assertEquals(204, admin.login(ADMIN_PASSWORD).statusCode());
        JsonNode listed = JSON.readTree(admin.get("/api/admin/recordings").body()).path("recordings").get(0);
        assertEquals(id, listed.path("id").asText());
        assertEquals("ready", listed.path("state").asText());
        assertEquals("recorded", listed.path("room").asText());
        assertEquals("Ana", listed.path("startedBy").asText());
        assertEquals(List.of("Ana", "Ben"), JSON.convertValue(listed.path("participants"), List.class));
        assertEquals(200, admin.get("/recordings/" + id + ".mp4").statusCode());
        // The panel's Recordings card plays it with the session.
        viewer.navigate(server.url("/admin/login"));
        viewer.getByLabel("Admin password").fill(ADMIN_PASSWORD);
        viewer.getByLabel("Admin password").press("Enter");
        viewer.waitForURL(server.url("/admin"));
        viewer.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Play the recording of recorded")).click();
        viewer.waitForFunction("() => { const v = document.getElementById('recording-player'); return v && v.readyState >= 1 && v.duration > 5; }");
        viewer.setViewportSize(1280, 900);
        viewer.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/admin-recordings.png")).setFullPage(true));
        assertEquals(204, admin.act("recordings/delete", "{\"id\":\"" + id + "\"}").statusCode());
        assertTrue(Files.notExists(file), "the file went with the recording");
        assertEquals(404, status(link));
    }

    @Test
    void whenJanusDiesMidRecordingTheRecordingGoesOnAndTheFileKeepsBothPartsWithAScreenLarge() throws Exception {
        Page ana = page();
        join(ana, server.url("/r/janus-dies"), "Ana");
        ana.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Record").setExact(true)).click();
        long startedAt = System.nanoTime();
        SfuPage.await(ana, "her camera going to the SFU", s -> "sfu".equals(s.path("mode").asText())
                && s.path("sending").findValues("videoBytes").stream().anyMatch(v -> v.asLong() > 50_000));
        Thread.sleep(1000);
        long beforeKillMs = (System.nanoTime() - startedAt) / 1_000_000;
        int made = ((Number) ana.evaluate("() => window.__connections.length")).intValue();
        long janus = server.app().janus().orElseThrow().local().orElseThrow().pid().orElseThrow();
        ProcessHandle.of(janus).ifPresent(ProcessHandle::destroyForcibly);
        long killedAt = System.nanoTime();
        // The page publishes again by itself once Janus is back; the room is made there recording.
        SfuPage.await(ana, "her camera on a new connection", s -> (Boolean) ana.evaluate(
                "n => window.__connections.slice(n).some((pc) => pc.connectionState === 'connected')", made));
        long backMs = (System.nanoTime() - killedAt) / 1_000_000;
        // Then she shares her screen: the file shows it large, her camera beside it.
        ana.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Share screen").setExact(true)).click();
        SfuPage.await(ana, "her screen going up too", s -> SfuPage.videoSenders(ana, 1000) == 2);
        Thread.sleep(2500);
        assertThat(ana.getByRole(AriaRole.IMG, new Page.GetByRoleOptions().setName("This meeting is being recorded"))).isVisible();
        ana.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop recording").setExact(true)).click();
        long recordedMs = (System.nanoTime() - startedAt) / 1_000_000;
        Locator play = ana.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Play").setExact(true));
        play.waitFor(new Locator.WaitForOptions().setTimeout(120_000));
        String id = play.getAttribute("href").replaceAll("^/recordings/([0-9a-f]{32})\\.mp4.*$", "$1");
        Path file = recordings.resolve(id + ".mp4");
        double seconds = probe(file).path("format").path("duration").asDouble();
        System.out.printf("recording through a Janus kill: %d ms recorded, Janus back after %d ms, file %.2f s%n", recordedMs, backMs, seconds);
        assertTrue(Math.abs(seconds * 1000 - recordedMs) < 2000, "file of " + seconds + " s for " + recordedMs + " ms recorded");
        // Her camera is in the part before the kill, filling the frame, and in the part after it,
        // beside her screen.
        double before = meanLuma(frame(file, (beforeKillMs - 500) / 1000.0), Layout.cells(1, false).get(0));
        assertTrue(before > 60, "her camera before the kill (mean luma " + before + ")");
        BufferedImage end = frame(file, seconds - 1);
        ImageIO.write(end, "png", Path.of("target/screenshots/recording-screen-frame.png").toFile());
        List<Layout.Cell> sharing = Layout.cells(1, true);
        double screen = meanLuma(end, sharing.get(0));
        double camera = meanLuma(end, sharing.get(1));
        assertTrue(screen > 60, "her screen, large, after Janus came back (mean luma " + screen + ")");
        assertTrue(camera > 60, "her camera beside it (mean luma " + camera + ")");
    }

    int status(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url(path))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static JsonNode probe(Path file) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type",
                "-of", "json", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "ffprobe: " + out);
        return JSON.readTree(out);
    }

    static BufferedImage frame(Path file, double at) throws Exception {
        Path png = Files.createTempFile("middle", ".png");
        Process p = new ProcessBuilder("ffmpeg", "-y", "-loglevel", "error", "-ss", String.format(java.util.Locale.ROOT, "%.2f", at),
                "-i", file.toString(), "-frames:v", "1", png.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "ffmpeg: " + out);
        BufferedImage image = ImageIO.read(png.toFile());
        Files.deleteIfExists(png);
        return image;
    }

    /** The mean luma (0–255) of the middle half of a cell. */
    static double meanLuma(BufferedImage image, Layout.Cell cell) {
        long sum = 0;
        int n = 0;
        for (int y = cell.y() + cell.h() / 4; y < cell.y() + 3 * cell.h() / 4; y += 2) {
            for (int x = cell.x() + cell.w() / 4; x < cell.x() + 3 * cell.w() / 4; x += 2) {
                int rgb = image.getRGB(x, y);
                sum += (299 * ((rgb >> 16) & 255) + 587 * ((rgb >> 8) & 255) + 114 * (rgb & 255)) / 1000;
                n++;
            }
        }
        return (double) sum / n;
    }
}
