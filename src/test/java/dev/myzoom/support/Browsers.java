package dev.myzoom.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Playwright driving Debian's Chromium (never a downloaded browser). Where Chromium is missing the
 * browser tests are skipped with a message that says so, except under CI=true, where they fail.
 */
public final class Browsers implements AutoCloseable {
    public static final List<String> FLAGS = List.of(
            "--headless=new", "--no-sandbox",
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");

    private final Playwright playwright;
    private final Path chromium;
    private final List<Browser> browsers = new ArrayList<>();
    /** Console lines of every page that report a Content-Security-Policy violation. */
    public final List<String> cspViolations = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Browsers(Playwright playwright, Path chromium) {
        this.playwright = playwright;
        this.chromium = chromium;
    }

    public static Browsers start() {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            String why = "Chromium is missing at " + chromium + " (apt-get install chromium, or set CHROMIUM)";
            Missing.skipOrFail(why, "browser tests");
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        return new Browsers(playwright, chromium);
    }

    /** A separate Chromium process with its own fresh profile, like a second person's computer. */
    public Browser launch(String... extraFlags) {
        List<String> args = new ArrayList<>(FLAGS);
        for (String extra : extraFlags) {
            // A flag given again with a value (e.g. ...=device-count=2) replaces the plain one.
            String name = extra.split("=", 2)[0];
            args.removeIf(flag -> flag.split("=", 2)[0].equals(name));
            args.add(extra);
        }
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(chromium).setHeadless(false).setArgs(args));
        browsers.add(browser);
        return browser;
    }

    /**
     * A page in a fresh English-speaking context of a new browser. It accepts the self-signed
     * certificates of the HTTPS tests, as a person would after clicking through the warning.
     */
    public Page newPage(String... extraFlags) {
        BrowserContext context = launch(extraFlags).newContext(new Browser.NewContextOptions()
                .setLocale("en-US").setViewportSize(1280, 800).setIgnoreHTTPSErrors(true));
        context.setDefaultTimeout(15_000);
        Page page = context.newPage();
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                cspViolations.add(message.text());
            }
        });
        return page;
    }

    /**
     * Closes every Chromium started so far, keeping Playwright for the next test: a class that
     * shares one Browsers must not leave a test's pages running their cameras and calls into the
     * next (on two cores, six idle pages froze a later test's video for seconds).
     */
    public void closeBrowsers() {
        browsers.forEach(Browser::close);
        browsers.clear();
    }

    @Override
    public void close() {
        browsers.forEach(Browser::close);
        playwright.close();
    }
}
