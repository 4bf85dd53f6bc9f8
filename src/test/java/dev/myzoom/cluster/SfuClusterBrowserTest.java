package dev.myzoom.cluster;

import static dev.myzoom.support.Call.join;
import static dev.myzoom.support.Call.pid;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.Janus;
import dev.myzoom.support.Redis;
import dev.myzoom.support.SfuPage;
import dev.myzoom.support.TestServer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on Redis and one Janus: each participant's Janus session lives on the node that holds
 * their WebSocket, the room's VideoRoom is found by both (its id and secret are derived from the
 * room's name), and the host's mute, decided on the room's node, holds in Janus for a guest whose
 * media goes through the other node.
 */
class SfuClusterBrowserTest {

    @Test
    void peopleOnDifferentNodesSeeAndHearEachOtherThroughOneJanus() {
        String database = "jdbc:h2:mem:sfu-cluster-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        try (Janus janus = Janus.start(); Redis redis = Redis.start()) {
            String[] settings = {"REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET, "DATABASE_URL", database,
                "JANUS_URLS", janus.url().toString(), "JANUS_API_SECRET", janus.apiSecret, "JANUS_ADMIN_KEY", janus.adminKey,
                "SFU_FROM", "1"};
            try (TestServer one = TestServer.start(settings); TestServer two = TestServer.start(settings);
                    Browsers browsers = Browsers.start()) {
                Page ana = browsers.newPage();
                Page ben = browsers.newPage();
                SfuPage.record(ana);
                SfuPage.record(ben);
                join(ana, one.url("/r/sfu-across"), "Ana");
                join(ben, two.url("/r/sfu-across"), "Ben");
                String benPid = pid(ben);
                SfuPage.awaitMediaFrom(ana, benPid);
                SfuPage.awaitMediaFrom(ben, pid(ana));

                // Ana hosts (the room lives on node one); Ben's media goes through node two.
                ana.evaluate("pid => window.myzoom.connection.request('muteParticipant', { pid })", benPid);
                SfuPage.await(ben, "Ben's page to mute itself", s -> (Boolean) ben.evaluate("() => !window.myzoom.media.micOn"));
                ben.evaluate("() => { const { media, transport } = window.myzoom; media.mic.enabled = true; transport.setTrack('audio', media.mic); }");
                ben.waitForTimeout(1000);
                long before = SfuPage.state(ana).path("peers").path(benPid).path("audio").path("packetsReceived").asLong();
                ana.waitForTimeout(2000);
                long received = SfuPage.state(ana).path("peers").path(benPid).path("audio").path("packetsReceived").asLong() - before;
                assertTrue(received <= 2, "the host's mute, from the other node, let " + received + " packets through");
            }
        }
    }
}
