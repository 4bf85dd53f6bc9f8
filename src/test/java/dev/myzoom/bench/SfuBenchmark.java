package dev.myzoom.bench;

import com.microsoft.playwright.Page;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.Call;
import dev.myzoom.support.SfuPage;
import dev.myzoom.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The SFU against the mesh, with real pages on this machine: one person's upload in rooms of 2,
 * 3, 4 and 6 (and larger rooms on the SFU, to find where this machine stops), the CPU of the
 * server's own Janus per forwarded stream, and the time from Join to the first remote frame, P2P
 * against SFU. Cameras at 320x240 so that six pages fit on two cores. Not a test; in the namespace:
 * {@code .ci/netns ./mvnw -o test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.myzoom.bench.SfuBenchmark [-Dexec.args="2,3,4,6 8"]}; "- 0" measures only the join
 */
public final class SfuBenchmark {
    private static final int WARM_MS = 4000;
    private static final int MEASURE_MS = 5000;
    private static final String[] SFU = {"JANUS_LOCAL", "true", "JANUS_ICE_INTERFACE", "mz0", "JANUS_RTP_PORTS", "34000-34999"};

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = args.length > 0 ? (args[0].equals("-") ? List.of() : parse(args[0])) : List.of(2, 3, 4, 6);
        int largest = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        System.out.println("room  transport  upload kbit/s (Ana)  Janus CPU %  forwarded streams  Janus CPU % per stream");
        for (int n : sizes) {
            room(n, false);
            room(n, true);
        }
        if (largest > 0) {
            room(largest, true);
        }
        System.out.println("Join click to first remote frame, P2P (mesh of two):");
        JoinToFirstFrameBenchmark.measure(5);
        System.out.println("Join click to first remote frame, SFU (SFU_FROM=1):");
        JoinToFirstFrameBenchmark.measure(5, concat(SFU, "SFU_FROM", "1"));
    }

    /** One room of {@code n} pages: everyone sees everyone, then Ana's upload and Janus's CPU are measured. */
    static void room(int n, boolean sfu) throws Exception {
        String[] settings = sfu ? concat(SFU, "SFU_FROM", "1", "VIDEO_MAX_HEIGHT", "240", "MAX_PARTICIPANTS", "50")
                : new String[] {"VIDEO_MAX_HEIGHT", "240", "MAX_MESH_PARTICIPANTS", String.valueOf(Math.max(6, n))};
        try (TestServer server = TestServer.start(settings); Browsers browsers = Browsers.start()) {
            if (sfu) {
                Thread.sleep(2000);
            }
            List<Page> pages = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Page page = browsers.newPage();
                SfuPage.record(page);
                Call.join(page, server.url("/r/bench-" + n), "P" + i);
                pages.add(page);
            }
            long t0 = System.nanoTime();
            boolean complete = true;
            try {
                for (Page page : pages) {
                    for (Page other : pages) {
                        if (other != page) {
                            if (sfu) {
                                SfuPage.awaitMediaFrom(page, Call.pid(other));
                            } else {
                                Call.awaitMedia(page, Call.pid(other));
                            }
                        }
                    }
                }
            } catch (AssertionError e) {
                complete = false;
                System.out.printf("%4d  %s: not every page decoded every other within %s (%s)%n", n, sfu ? "SFU " : "mesh",
                        Call.PATIENCE, e.getMessage().substring(0, Math.min(160, e.getMessage().length())));
            }
            double setup = (System.nanoTime() - t0) / 1e9;
            Page ana = pages.get(0);
            ana.waitForTimeout(WARM_MS);
            long pid = sfu ? server.app().janus().orElseThrow().local().orElseThrow().pid().orElseThrow() : -1;
            long ticks = sfu ? cpuTicks(pid) : 0;
            long bytes = videoBytes(ana);
            ana.waitForTimeout(MEASURE_MS);
            double kbps = (videoBytes(ana) - bytes) * 8.0 / MEASURE_MS;
            if (sfu) {
                double cpu = (cpuTicks(pid) - ticks) / (MEASURE_MS / 1000.0);
                int streams = 2 * n * (n - 1);
                System.out.printf("%4d  SFU        %8.0f             %6.1f       %6d             %.2f%s (all decoding after %.0f s)%n",
                        n, kbps, cpu, streams, cpu / streams, complete ? "" : " INCOMPLETE", setup);
            } else {
                System.out.printf("%4d  mesh       %8.0f                -             -                 -%s (all decoding after %.0f s)%n",
                        n, kbps, complete ? "" : " INCOMPLETE", setup);
            }
        }
    }

    static long videoBytes(Page page) {
        long sum = 0;
        for (var c : SfuPage.state(page).path("sending")) {
            sum += c.path("videoBytes").asLong();
        }
        return sum;
    }

    /** User and system CPU of a process, in 1/100 s (Linux's clock ticks). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static List<Integer> parse(String list) {
        return java.util.Arrays.stream(list.split(",")).map(Integer::parseInt).toList();
    }
}
