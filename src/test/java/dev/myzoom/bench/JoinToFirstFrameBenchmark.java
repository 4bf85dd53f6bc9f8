package dev.myzoom.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.Call;
import dev.myzoom.support.TestServer;
import java.util.ArrayList;
import java.util.List;

/**
 * Time from clicking Join to the first frame of the other person's video, measured in the
 * joiner's page: {@code performance.now()} in the Join click handler, and again in the first
 * {@code requestVideoFrameCallback} of the remote camera's video element. The joiner's camera is
 * already running (the pre-join preview), as it is for a real user. Two Chromium processes, a
 * fresh page pair per run. Not a test; run it in a loopback-only namespace:
 * {@code unshare -n sh -c 'ip link set lo up && exec ./mvnw -o test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.myzoom.bench.JoinToFirstFrameBenchmark'}
 */
public final class JoinToFirstFrameBenchmark {
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Double> times = new ArrayList<>();
        try (TestServer server = TestServer.start(args.length > 2 ? new String[] {args[1], args[2]} : new String[0]);
                Browsers browsers = Browsers.start()) {
            String[] flags = System.getProperty("chromium.flags", "").isBlank()
                    ? new String[0] : System.getProperty("chromium.flags").split(" ");
            Browser first = browsers.launch(flags);
            Browser second = browsers.launch(flags);
            for (int run = 0; run < runs; run++) {
                String url = server.url("/r/bench-" + run);
                Page host = first.newContext(new Browser.NewContextOptions().setLocale("en-US")).newPage();
                Page joiner = second.newContext(new Browser.NewContextOptions().setLocale("en-US")).newPage();
                Call.join(host, url, "Host");
                joiner.navigate(url);
                joiner.getByLabel("Nickname", new Page.GetByLabelOptions().setExact(true)).fill("Joiner");
                joiner.waitForFunction("() => document.querySelector('#preview').videoWidth > 0");
                joiner.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join").setExact(true)).click();
                joiner.waitForFunction("() => window.myzoom.metrics.firstRemoteFrameAt > 0",
                        null, new Page.WaitForFunctionOptions().setTimeout(30_000));
                double ms = ((Number) joiner.evaluate(
                        "() => window.myzoom.metrics.firstRemoteFrameAt - window.myzoom.metrics.joinClickedAt")).doubleValue();
                times.add(ms);
                System.out.printf("run %2d: %.0f ms%n", run + 1, ms);
                host.context().close();
                joiner.context().close();
            }
        }
        List<Double> sorted = times.stream().sorted().toList();
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        System.out.printf("Join click to first remote frame over %d runs: median %.0f ms, min %.0f ms, max %.0f ms%n",
                sorted.size(), median, sorted.get(0), sorted.get(sorted.size() - 1));
    }
}
