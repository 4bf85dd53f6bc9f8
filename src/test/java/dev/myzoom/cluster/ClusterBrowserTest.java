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
}
