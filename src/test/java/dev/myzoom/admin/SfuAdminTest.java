package dev.myzoom.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.Await;
import dev.myzoom.support.Janus;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the operator sees of the SFU: each room's mode and Janus in the panel, and the SFU's series in /metrics. */
class SfuAdminTest {
    static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendonly\r\na=rtpmap:111 opus/48000/2\r\n";

    /** The value of a series without labels of its own. */
    static String series(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + "{")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .findFirst().orElse("missing");
    }

    @Test
    void thePanelShowsEachRoomsModeAndJanusAndMetricsCountTheSfu() throws Exception {
        Janus.libraries();
        try (TestServer server = TestServer.start("ADMIN_PASSWORD", AdminTest.PASSWORD, "JANUS_LOCAL", "true",
                "JANUS_RTP_PORTS", "32100-32199", "SFU_FROM", "3");
                WsClient a = server.connect(); WsClient b = server.connect(); WsClient c = server.connect();
                WsClient d = server.connect(); WsClient e = server.connect()) {
            Await.until(() -> server.get("/health/ready").body().contains("\"janus\":\"up\""), Duration.ofSeconds(20),
                    Duration.ofMillis(50), () -> "Janus did not come up");
            a.join("big", "A");
            b.join("big", "B");
            c.join("big", "C");
            d.join("small", "D");
            e.join("small", "E");
            // A request that reaches Janus (session, handle, join), refused at publish.
            assertEquals("bad_sdp", a.call("publish", "pc", "camera", "offer", Map.of("type", "offer", "sdp", SDP)).path("code").asText());

            AdminClient admin = new AdminClient(server.url(""));
            admin.login(AdminTest.PASSWORD);
            JsonNode rooms = admin.state().get("rooms");
            JsonNode big = null;
            JsonNode small = null;
            for (JsonNode room : rooms) {
                big = "big".equals(room.path("room").asText()) ? room : big;
                small = "small".equals(room.path("room").asText()) ? room : small;
            }
            assertEquals("sfu", big.path("mode").asText(), rooms.toString());
            assertTrue(big.path("janus").asText().startsWith("ws://127.0.0.1:"), big.toString());
            assertEquals("p2p", small.path("mode").asText(), rooms.toString());
            assertTrue(small.path("janus").isMissingNode() || small.path("janus").isNull(), small.toString());

            String metrics = server.get("/metrics").body();
            assertEquals("1.0", series(metrics, "myzoom_sfu_rooms"), "one room in the SFU");
            assertEquals("0.0", series(metrics, "myzoom_sfu_publishers"), "a refused publish publishes nothing");
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("myzoom_janus_requests_seconds_count")
                    && l.contains("request=\"join\"") && l.contains("outcome=\"ok\"")), metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("myzoom_janus_requests_seconds_count")
                    && l.contains("request=\"publish\"") && l.contains("outcome=\"failed\"")), metrics);
        }
    }
}
