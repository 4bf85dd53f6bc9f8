package dev.myzoom.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.Call;
import dev.myzoom.support.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time from clicking Join to the first frame of the other person's video, measured in the
 * joiner's page: the page's {@code join-clicked} mark, and its {@code first-frame} mark, set in
 * the first {@code requestVideoFrameCallback} of the remote camera's video element. The page's
 * other marks, and the host's, split the time into phases (join acked, offer received and answer
 * sent by the host, answer received, call connected). The host's first frame of the joiner is
 * timed too, on the same clock (both pages run on one machine). The
 * joiner's camera is already running (the pre-join preview) and has been for a second, as it is
 * for a real user. Two Chromium processes, a fresh page pair per run. Not a test; run it in a
 * loopback-only namespace:
 * {@code .ci/netns ./mvnw -o test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.myzoom.bench.JoinToFirstFrameBenchmark [-Dexec.args=RUNS]}
 */
public final class JoinToFirstFrameBenchmark {
    // The joiner's phases, then the host's (prefixed "host "): both pages run on one machine, so
    // their marks are put on one clock with performance.timeOrigin.
    private static final List<String> PHASES = List.of("join-acked", "host offer-received", "host answer-sent",
            "answer-received", "call-connected", "host call-connected", "host first-frame");
    private static final String READ_MARKS = """
            () => {
              const at = {};
              for (const m of performance.getEntriesByType('mark')) {
                if (!(m.name in at)) at[m.name] = performance.timeOrigin + m.startTime;
              }
              const { joinClickedAt, firstRemoteFrameAt } = window.myzoom.metrics;
              if (joinClickedAt) at['join-clicked'] = performance.timeOrigin + joinClickedAt;
              if (firstRemoteFrameAt) at['first-frame'] = performance.timeOrigin + firstRemoteFrameAt;
              return at;
            }""";

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        measure(runs);
    }

    /** Runs the measurement, prints each run and the summary, and returns the times in ms. */
    static List<Double> measure(int runs, String... settings) {
        Map<String, List<Double>> phases = new LinkedHashMap<>();
        PHASES.forEach(p -> phases.put(p, new ArrayList<>()));
        phases.put("first-frame", new ArrayList<>());
        phases.put("host first-frame", phases.remove("host first-frame"));
        try (TestServer server = TestServer.start(settings); Browsers browsers = Browsers.start()) {
            Browser first = browsers.launch();
            Browser second = browsers.launch();
            for (int run = 0; run < runs; run++) {
                String url = server.url("/r/bench-" + run);
                Page host = first.newContext(new Browser.NewContextOptions().setLocale("en-US")).newPage();
                Page joiner = second.newContext(new Browser.NewContextOptions().setLocale("en-US")).newPage();
                Call.join(host, url, "Host");
                if (settings.length > 0) {
                    // A server of its own Janus: wait for it before the first run.
                    host.waitForTimeout(run == 0 ? 2000 : 0);
                }
                joiner.navigate(url);
                joiner.getByLabel("Nickname", new Page.GetByLabelOptions().setExact(true)).fill("Joiner");
                joiner.waitForFunction("() => document.querySelector('#preview').videoWidth > 0");
                // A person takes longer than this between seeing themselves and clicking Join.
                joiner.waitForTimeout(1000);
                joiner.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join").setExact(true)).click();
                joiner.waitForFunction("() => window.myzoom.metrics.firstRemoteFrameAt > 0",
                        null, new Page.WaitForFunctionOptions().setTimeout(30_000));
                host.waitForFunction("() => window.myzoom.metrics.firstRemoteFrameAt > 0",
                        null, new Page.WaitForFunctionOptions().setTimeout(30_000));
                joiner.waitForTimeout(50); // the page's marks right after the frame
                Map<String, Double> marks = marks(joiner, "");
                double clicked = marks.remove("join-clicked");
                marks.putAll(marks(host, "host "));
                marks.replaceAll((name, epochMs) -> epochMs - clicked);
                StringBuilder line = new StringBuilder(String.format("run %2d:", run + 1));
                for (String phase : phases.keySet()) {
                    Double ms = marks.get(phase);
                    if (ms == null) {
                        continue;
                    }
                    phases.get(phase).add(ms);
                    line.append(String.format("  %s %4.0f", phase, ms));
                }
                System.out.println(line);
                host.context().close();
                joiner.context().close();
            }
        }
        List<Double> total = sorted(phases.get("first-frame"));
        System.out.printf("Join click to first remote frame over %d runs: median %.0f ms, min %.0f ms, max %.0f ms%n",
                total.size(), median(total), total.get(0), total.get(total.size() - 1));
        List<Double> host = sorted(phases.get("host first-frame"));
        if (!host.isEmpty()) {
            System.out.printf("Join click to the host's first frame of the joiner: median %.0f ms, min %.0f ms, max %.0f ms%n",
                    median(host), host.get(0), host.get(host.size() - 1));
        }
        StringBuilder medians = new StringBuilder("Median time since the click at each phase:");
        phases.forEach((phase, times) -> {
            if (!times.isEmpty()) {
                medians.append(String.format("  %s %.0f ms", phase, median(sorted(times))));
            }
        });
        System.out.println(medians);
        return total;
    }

    /** The page's marks as epoch milliseconds, each name with the prefix. */
    private static Map<String, Double> marks(Page page, String prefix) {
        Map<String, Double> marks = new LinkedHashMap<>();
        ((Map<?, ?>) page.evaluate(READ_MARKS)).forEach((name, at) ->
                marks.put(prefix + name, ((Number) at).doubleValue()));
        return marks;
    }

    private static List<Double> sorted(List<Double> values) {
        return values.stream().sorted().toList();
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
