package dev.myzoom.cluster;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.myzoom.support.Call.join;
import static dev.myzoom.support.Call.pid;
import static dev.myzoom.support.Ui.chatLines;
import static dev.myzoom.support.Ui.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import dev.myzoom.admin.AdminClient;
import dev.myzoom.support.Await;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.Call;
import dev.myzoom.support.Janus;
import dev.myzoom.support.Redis;
import dev.myzoom.support.ServerProcess;
import dev.myzoom.support.SfuPage;
import dev.myzoom.support.SfuServer;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole cluster at once, as real processes: two My Zoom nodes (the second a JVM of its own,
 * so that it can be killed), Redis and two Janus. In one meeting's life: rooms opened from
 * either node spread over both Janus by load; a drained Janus keeps its room and gets no new
 * one; the room's home node is SIGKILLed and its guests on the other node keep their sockets and
 * their call; then the room's Janus is SIGKILLed and the call comes back on the other.
 */
class ClusterFailoverBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** An offer that Janus takes up far enough to place and join the room, then refuses. */
    private static final String NO_VIDEO_SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendonly\r\na=rtpmap:111 opus/48000/2\r\n";

    @Test
    void twoNodesAndTwoJanusSpreadDrainAndSurviveTheDeathOfANodeAndOfAJanus() throws Exception {
        String secret = "cluster-failover-api-secret";
        String key = "cluster-failover-admin-key";
        try (Redis redis = Redis.start(); Janus a = Janus.start(60, secret, key); Janus b = Janus.start(60, secret, key)) {
            Map<String, String> settings = new HashMap<>(Map.of("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET,
                    "NODE_TIMEOUT_SECONDS", "3", "JANUS_URLS", a.url() + "," + b.url(), "JANUS_API_SECRET", secret,
                    "JANUS_ADMIN_KEY", key, "SFU_FROM", "1", "ADMIN_PASSWORD", PASSWORD));
            try (TestServer one = TestServer.start(settings);
                    ServerProcess two = ServerProcess.start(settings);
                    Browsers browsers = Browsers.start()) {
                assertTrue(SfuServer.awaitJanus(one), "node one reaches both Janus");
                Await.until(() -> get(two.url("/health/ready")).contains("\"janus\":\"up\""), PATIENCE, Duration.ofMillis(200),
                        () -> "node two reaches both Janus");
                AdminClient admin = new AdminClient(one.url(""));
                assertEquals(204, admin.login(PASSWORD).statusCode(), "the admin logs in");

                // Room alpha lives on node two (its host came first there); Ben and Dan, its
                // guests on node one, call through the SFU.
                WsClient host = WsClient.connect(two.wsUri(), null);
                host.join("alpha", "Host");
                Page ben = browsers.newPage();
                Page dan = browsers.newPage();
                SfuPage.record(ben);
                SfuPage.record(dan);
                join(ben, one.url("/r/alpha"), "Ben");
                join(dan, one.url("/r/alpha"), "Dan");
                String benPid = pid(ben);
                String danPid = pid(dan);
                SfuPage.awaitMediaFrom(ben, danPid);
                SfuPage.awaitMediaFrom(dan, benPid);
                String alphaOn = janusOf(admin, "alpha");
                // Placement counts streams, reported by each node every 2 s.
                Await.until(() -> streamsOn(admin, alphaOn) >= 4, PATIENCE, Duration.ofMillis(250),
                        () -> "alpha's streams reported: " + servers(admin));

                // Room beta opens from node two: it goes to the other Janus, the one with fewer
                // streams, which node two knows only from node one's report in Redis.
                Page cy = browsers.newPage();
                SfuPage.record(cy);
                join(cy, two.url("/r/beta"), "Cy");
                String betaOn = janusOf(admin, "beta");
                assertNotEquals(alphaOn, betaOn, "rooms spread over both Janus by load: " + servers(admin));

                // Draining beta's Janus: beta stays there, and a new room goes to alpha's, the
                // busier one, because the other is draining.
                assertEquals(200, admin.act("media-servers/drain",
                        JSON.createObjectNode().put("instance", betaOn).put("draining", true).toString()).statusCode());
                try (WsClient gamma = one.connect()) {
                    gamma.join("gamma", "Gil");
                    // A publish reaches Janus (the room is placed and joined) even if its SDP is refused.
                    JsonNode refused = gamma.call("publish", "pc", "camera", "offer", Map.of("type", "offer", "sdp", NO_VIDEO_SDP));
                    assertEquals("bad_sdp", refused.path("code").asText(), "Janus refused the offer: " + refused);
                    assertEquals(alphaOn, janusOf(admin, "gamma"), "no new room on a draining Janus: " + servers(admin));
                }
                assertEquals(betaOn, janusOf(admin, "beta"), "the draining Janus keeps its room");
                SfuPage.awaitMediaFrom(ben, danPid);
                // Cy leaves, and beta with her: its Janus is now empty.
                cy.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Leave").setExact(true)).click();
                Await.until(() -> row(admin, betaOn).path("empty").asBoolean()
                        && "draining".equals(row(admin, betaOn).path("state").asText()), PATIENCE, Duration.ofMillis(250),
                        () -> "the drained Janus shown empty, ready to upgrade: " + servers(admin));
                admin.act("media-servers/drain", JSON.createObjectNode().put("instance", betaOn).put("draining", false).toString());

                // Node two, alpha's home, is SIGKILLed. Node one takes the room over: Ben and Dan
                // keep their sockets, chat and call go on, and the frames on Dan's tile are counted.
                for (Page page : new Page[] {ben, dan}) {
                    page.evaluate("() => window.myzoom.connection.addEventListener('rehomed', () => { window.__rehomed = performance.now(); })");
                }
                Object madeBefore = ben.evaluate("() => window.__connections.length");
                Call.watchFrames(ben, danPid);
                long killedAt = System.nanoTime();
                two.kill();
                for (Page page : new Page[] {ben, dan}) {
                    page.waitForFunction("() => window.__rehomed > 0", null, new Page.WaitForFunctionOptions().setTimeout(20_000));
                }
                long rehomedMs = (System.nanoTime() - killedAt) / 1_000_000;
                assertThat(ben.getByText("Reconnecting")).hasCount(0);
                assertEquals(benPid, pid(ben), "Ben is the same participant");
                say(dan, "still here after the node died");
                assertThat(chatLines(ben)).containsText(new String[] {"Dan: still here after the node died"});
                assertEquals(madeBefore, ben.evaluate("() => window.__connections.length"), "Ben's call was never rebuilt");
                long before = SfuPage.state(ben).path("peers").path(danPid).path("camera").path("framesDecoded").asLong();
                SfuPage.await(ben, "Dan's camera still coming", s -> s.path("peers").path(danPid).path("camera").path("framesDecoded").asLong() > before + 20);
                double gap = Call.longestGap(ben);
                System.out.printf("two nodes, two Janus: alpha's home node SIGKILLed; its guests were in the taken-over room after %d ms"
                        + " (NODE_TIMEOUT 3 s); Dan's tile on Ben's page showed %d frames, longest gap %.0f ms%n",
                        rehomedMs, Call.framesShown(ben), gap);
                assertTrue(gap < 1000, "Dan's picture froze for " + gap + " ms when the room's node died");

                // Now alpha's Janus is SIGKILLed: the room is placed again on the other, and both
                // pages republish and resubscribe by themselves.
                Janus holder = alphaOn.equals(a.url().toString()) ? a : b;
                int made = ((Number) ben.evaluate("() => window.__connections.length")).intValue();
                long janusKilledAt = System.nanoTime();
                holder.kill();
                SfuPage.await(ben, "Dan's video on a new connection", s -> s.path("peers").path(danPid).path("camera").path("framesDecoded").asLong() > 0
                        && (Boolean) ben.evaluate("n => window.__connections.length > n", made));
                SfuPage.awaitMediaFrom(ben, danPid);
                SfuPage.awaitMediaFrom(dan, benPid);
                long backMs = (System.nanoTime() - janusKilledAt) / 1_000_000;
                System.out.printf("two nodes, two Janus: alpha's Janus SIGKILLed; video and audio back on both pages after %d ms%n", backMs);
                Await.until(() -> betaOn.equals(janusNow(admin, "alpha")), PATIENCE, Duration.ofMillis(250),
                        () -> "alpha placed on the Janus that lived: " + servers(admin));
                say(ben, "and after the Janus died");
                assertThat(chatLines(dan)).containsText(new String[] {"Ben: and after the Janus died"});
                host.close();
            }
        }
    }

    private static String get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    /** The Janus the admin panel says the room's calls go through, once it says one. */
    private static String janusOf(AdminClient admin, String room) {
        String[] found = {null};
        Await.until(() -> (found[0] = janusNow(admin, room)) != null, PATIENCE, Duration.ofMillis(250),
                () -> "the panel to show room " + room + "'s Janus");
        return found[0];
    }

    /** The Janus the admin panel says the room's calls go through now; null if none. */
    private static String janusNow(AdminClient admin, String room) {
        try {
            for (JsonNode r : JSON.readTree(admin.get("/api/admin/state").body()).path("rooms")) {
                if (room.equals(r.path("room").asText()) && r.hasNonNull("janus")) {
                    return r.path("janus").asText();
                }
            }
        } catch (Exception e) {
            // Asked again.
        }
        return null;
    }

    private static String servers(AdminClient admin) {
        try {
            return admin.get("/api/admin/media-servers").body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static JsonNode row(AdminClient admin, String instance) {
        try {
            for (JsonNode r : JSON.readTree(servers(admin)).path("servers")) {
                if (instance.equals(r.path("instance").asText())) {
                    return r;
                }
            }
        } catch (Exception e) {
            // Not there yet.
        }
        return JSON.createObjectNode();
    }

    private static int streamsOn(AdminClient admin, String instance) {
        return row(admin, instance).path("streams").asInt();
    }
}
