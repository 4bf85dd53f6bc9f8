package dev.myzoom.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.Call;
import dev.myzoom.support.SfuPage;
import dev.myzoom.support.TestServer;
import java.nio.file.Path;

/**
 * Takes the README's pictures of a call: three people on a desktop ({@code docs/screenshots/call-3.png})
 * and a fourth on a phone ({@code call-mobile.png}), so that they can be taken again when the page
 * changes. Not a test; run it in a loopback-only namespace:
 * {@code .ci/netns ./mvnw -o test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.myzoom.bench.ReadmeScreenshots}
 */
public final class ReadmeScreenshots {
    public static void main(String[] args) {
        // As the README's run command does with Janus installed: three people go through the SFU.
        try (TestServer server = TestServer.start("JANUS_LOCAL", "true", "JANUS_ICE_INTERFACE", "mz0");
                Browsers browsers = Browsers.start()) {
            String url = server.url("/r/weekly-sync");
            Page minji = browsers.newPage();
            Page david = browsers.newPage();
            Page sofia = browsers.newPage();
            Call.join(minji, url, "Minji");
            Call.join(david, url, "David");
            Call.join(sofia, url, "Sofia");
            sofia.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mute").setExact(true)).click();
            david.getByLabel("Message", new Page.GetByLabelOptions().setExact(true)).fill("Morning! Slides are in the shared folder.");
            david.getByLabel("Message", new Page.GetByLabelOptions().setExact(true)).press("Enter");
            minji.getByText("Morning! Slides").waitFor();
            minji.getByLabel("Message", new Page.GetByLabelOptions().setExact(true)).fill("Thanks — starting in a minute 👍");
            minji.getByLabel("Message", new Page.GetByLabelOptions().setExact(true)).press("Enter");
            SfuPage.awaitVideoFrom(minji, Call.pid(david));
            SfuPage.awaitVideoFrom(minji, Call.pid(sofia));
            minji.waitForTimeout(5000); // the toasts gone, the video at full size
            minji.screenshot(new Page.ScreenshotOptions().setPath(Path.of("docs/screenshots/call-3.png")));
            System.out.println("wrote docs/screenshots/call-3.png");

            // A fourth person on a phone.
            Page jun = browsers.launch().newContext(new Browser.NewContextOptions().setLocale("en-US")
                    .setViewportSize(390, 844).setDeviceScaleFactor(1).setIsMobile(true).setHasTouch(true)).newPage();
            Call.join(jun, url, "Jun");
            for (Page other : new Page[] {minji, david, sofia}) {
                SfuPage.awaitVideoFrom(jun, Call.pid(other));
            }
            jun.waitForTimeout(5000);
            jun.screenshot(new Page.ScreenshotOptions().setPath(Path.of("docs/screenshots/call-mobile.png")));
            System.out.println("wrote docs/screenshots/call-mobile.png");
        }
    }
}
