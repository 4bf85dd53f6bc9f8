package dev.myzoom.cluster;

import static dev.myzoom.support.Call.awaitMedia;
import static dev.myzoom.support.Call.join;
import static dev.myzoom.support.Call.pid;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.myzoom.support.Ui.chatLines;
import static dev.myzoom.support.Ui.say;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.Redis;
import dev.myzoom.support.TestServer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two people in Chromium, each on a different node of a two-node cluster, in one call. */
class ClusterBrowserTest {

    @Test
    void peopleOnDifferentNodesSeeHearAndChatWithEachOther() {
        String database = "jdbc:h2:mem:cluster-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        try (Redis redis = Redis.start();
                TestServer one = TestServer.start("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET, "DATABASE_URL", database);
                TestServer two = TestServer.start("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET, "DATABASE_URL", database);
                Browsers browsers = Browsers.start()) {
            Page ana = browsers.newPage();
            Page bo = browsers.newPage();
            join(ana, one.url("/r/across"), "Ana");
            join(bo, two.url("/r/across"), "Bo");

            awaitMedia(bo, pid(ana));
            awaitMedia(ana, pid(bo));

            say(ana, "hello from node one");
            assertThat(chatLines(bo)).hasText(new String[] {"Ana: hello from node one"});
            say(bo, "and from node two");
            assertThat(chatLines(ana)).hasText(new String[] {"You: hello from node one", "Bo: and from node two"});
            assertEquals(List.of(), List.copyOf(browsers.cspViolations));
        }
    }

    @Test
    void whenTheRoomsNodeGoesTheOthersStayInTheRoomAndTheirCallGoesOn() {
        String database = "jdbc:h2:mem:takeover-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        try (Redis redis = Redis.start();
                TestServer one = TestServer.start("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET, "DATABASE_URL", database,
                        "NODE_TIMEOUT_SECONDS", "3");
                Browsers browsers = Browsers.start()) {
            TestServer two = TestServer.start("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET, "DATABASE_URL", database,
                    "NODE_TIMEOUT_SECONDS", "3");
            Page bo = browsers.newPage();
            Page ana = browsers.newPage();
            Page cy = browsers.newPage();
            dev.myzoom.support.SfuPage.record(ana);
            // Bo comes first, so the room lives on node two; Ana and Cy are its guests on node one.
            join(bo, two.url("/r/takeover"), "Bo");
            join(ana, one.url("/r/takeover"), "Ana");
            join(cy, one.url("/r/takeover"), "Cy");
            String cyPid = pid(cy);
            awaitMedia(ana, cyPid);
            awaitMedia(ana, pid(bo));
            Object made = ana.evaluate("() => window.__connections.length");
            dev.myzoom.support.Call.watchFrames(ana, cyPid);

            for (Page page : List.of(ana, cy)) {
                page.evaluate("() => window.myzoom.connection.addEventListener('rehomed', () => { window.__rehomed = true; })");
            }
            two.close();
            // Node one buries node two within NODE_TIMEOUT, takes the room over, and says so.
            for (Page page : List.of(ana, cy)) {
                page.waitForFunction("() => window.__rehomed === true", null, new Page.WaitForFunctionOptions().setTimeout(20_000));
            }
            assertThat(ana.locator(".tile[data-pid=\"" + pid(bo) + "\"]")).hasCount(0);
            assertThat(ana.locator("#people")).not().containsText("Bo");
            assertThat(ana.getByText("Reconnecting")).hasCount(0);
            assertEquals(cyPid, pid(cy), "Cy is the same participant");
            say(cy, "still here");
            assertThat(chatLines(ana)).hasText(new String[] {"Cy: still here"});
            assertEquals(made, ana.evaluate("() => window.__connections.length"), "Ana's call with Cy was never rebuilt");
            double gap = dev.myzoom.support.Call.longestGap(ana);
            System.out.printf("the room's node went: Cy's tile on Ana's page showed %d frames, longest gap %.0f ms%n",
                    dev.myzoom.support.Call.framesShown(ana), gap);
            org.junit.jupiter.api.Assertions.assertTrue(gap < 1000, "Cy's picture froze for " + gap + " ms");
        }
    }
}
