package dev.myzoom.bench;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.Call;
import dev.myzoom.support.SfuPage;
import dev.myzoom.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a recording costs: a meeting of four real pages (fake cameras at 320x240 and fake
 * microphones, the most this machine's two cores carry) recorded for a while, then the time and
 * the CPU its file takes to make (every janus-pp-rec and ffmpeg the worker runs, read from
 * /proc/self/stat's children's times), the raw tracks' size and the file's, per minute recorded.
 * Not a test; in the namespace: {@code .ci/netns ./mvnw -o test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.myzoom.bench.RecordingBenchmark [-Dexec.args="60 4"]}
 */
public final class RecordingBenchmark {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int people = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path dir = Files.createTempDirectory("recording-bench");
        try (TestServer server = TestServer.start("JANUS_LOCAL", "true", "JANUS_ICE_INTERFACE", "mz0", "JANUS_RTP_PORTS",
                "35000-35999", "SFU_FROM", "3", "VIDEO_MAX_HEIGHT", "240", "RECORDINGS_DIR", dir.toString());
                Browsers browsers = Browsers.start()) {
            Thread.sleep(2000);
            List<Page> pages = new ArrayList<>();
            for (int i = 0; i < people; i++) {
                Page page = browsers.newPage();
                SfuPage.record(page);
                Call.join(page, server.url("/r/bench-recording"), "P" + i);
                pages.add(page);
            }
            for (Page page : pages) {
                for (Page other : pages) {
                    if (other != page) {
                        SfuPage.awaitMediaFrom(page, Call.pid(other));
                    }
                }
            }
            Page host = pages.get(0);
            host.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Record").setExact(true)).click();
            long started = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long raw = bytes(dir.resolve("raw"));
            host.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop recording").setExact(true)).click();
            double recorded = (System.nanoTime() - started) / 1e9;
            // The others leave, as after a meeting; the host stays for the link.
            pages.subList(1, pages.size()).forEach(Page::close);
            long before = childrenCpuTicks();
            long stopped = System.nanoTime();
            Locator play = host.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Play").setExact(true));
            play.waitFor(new Locator.WaitForOptions().setTimeout(30 * 60_000.0));
            double making = (System.nanoTime() - stopped) / 1e9;
            double cpu = (childrenCpuTicks() - before) / 100.0;
            long file;
            try (Stream<Path> files = Files.list(dir)) {
                file = files.filter(p -> p.toString().endsWith(".mp4")).findFirst().map(RecordingBenchmark::size).orElse(0L);
            }
            double minutes = recorded / 60;
            System.out.printf("people  recorded s  raw MB  file MB  file MB/min  making s  making s/min  CPU s  CPU s/min%n");
            System.out.printf("%6d  %10.1f  %6.1f  %7.2f  %11.2f  %8.1f  %12.1f  %5.1f  %9.1f%n", people, recorded, raw / 1e6, file / 1e6,
                    file / 1e6 / minutes, making, making / minutes, cpu, cpu / minutes);
        }
    }

    /** User and system time of this JVM's finished child processes, in clock ticks (1/100 s). */
    static long childrenCpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After the command's ")": field 3 is state, so cutime (16) and cstime (17) are at 13 and 14.
        return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }

    static long bytes(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).mapToLong(RecordingBenchmark::size).sum();
        }
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
