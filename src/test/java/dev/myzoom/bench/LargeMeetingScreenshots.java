package dev.myzoom.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.Call;
import dev.myzoom.support.SfuPage;
import dev.myzoom.support.SfuServer;
import dev.myzoom.support.SyntheticPublishers;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.Voice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes the README's pictures of a big meeting: a grid of 25 ({@code docs/screenshots/grid-25.png}),
 * the speaker view ({@code speaker-view.png}) and a phone in a room of 50 ({@code phone-50.png}).
 * The others are synthetic publishers (a test pattern each). Not a test; run it in the namespace:
 * {@code .ci/netns ./mvnw -o test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.myzoom.bench.LargeMeetingScreenshots}
 */
public final class LargeMeetingScreenshots {
    private static final List<String> NAMES = List.of("Minji", "David", "Sofia", "Jun", "Amara", "Lucas", "Priya", "Tomás",
            "Hana", "Omar", "Elena", "Kenji", "Zoe", "Mateo", "Aisha", "Noah", "Yuna", "Ravi", "Clara", "Ibrahim", "Mei",
            "Jonas", "Leila", "Diego", "Sara", "Felix", "Nadia", "Hugo", "Ines", "Kofi", "Lena", "Arjun", "Maya", "Emil",
            "Chloé", "Tariq", "Anya", "Bruno", "Keiko", "Samir", "Olga", "Pablo", "Freya", "Malik", "Rosa", "Viktor", "Nia",
            "Oscar", "Yara", "Theo");

    public static void main(String[] args) {
        try (TestServer server = SfuServer.start("SFU_FROM", "1", "VIDEO_MAX_HEIGHT", "360",
                "JANUS_ROOM_KEY", SyntheticPublishers.ROOM_KEY, "IDLE_TIMEOUT_SECONDS", "600");
                Browsers browsers = Browsers.start()) {
            String room = "all-hands";
            String url = server.url("/r/" + room);
            Page minji = browsers.newPage();
            SfuPage.record(minji);
            Call.join(minji, url, "Minji");
            Page david = browsers.newPage(Voice.flag());
            Call.join(david, url, "David");
            List<String> others = new ArrayList<>(NAMES.subList(2, 25));
            try (SyntheticPublishers crowd = SyntheticPublishers.start(server, room, others)) {
                for (String pid : crowd.pids()) {
                    SfuPage.awaitVideoFrom(minji, pid);
                }
                minji.locator("#toggle-side").click();
                minji.waitForTimeout(4000);
                shoot(minji, "grid-25.png");

                minji.keyboard().press("g");
                minji.waitForTimeout(4000);
                shoot(minji, "speaker-view.png");
                minji.keyboard().press("g");

                try (SyntheticPublishers more = SyntheticPublishers.start(server, room, NAMES.subList(25, 49))) {
                    Page jun = browsers.launch().newContext(new Browser.NewContextOptions().setLocale("en-US")
                            .setViewportSize(390, 844).setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true)).newPage();
                    SfuPage.record(jun);
                    Call.join(jun, url, "Theo");
                    for (String pid : crowd.pids().subList(0, 3)) {
                        SfuPage.awaitVideoFrom(jun, pid);
                    }
                    jun.waitForTimeout(4000);
                    shoot(jun, "phone-50.png");
                }
            }
        }
    }

    private static void shoot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("docs/screenshots/" + name)));
        System.out.println("wrote docs/screenshots/" + name);
    }
}
