package dev.myzoom.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.support.Await;
import dev.myzoom.support.Janus;
import dev.myzoom.support.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server with an SFU configured: its media mode, its Janus's life, /health/ready. */
class JanusServerTest {
    /** The janus processes this JVM started (directly or not), whoever started them. */
    private static List<ProcessHandle> janusChildren() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/janus")).orElse(false)).toList();
    }

    private static String[] localJanus() {
        return Janus.veth().map(v -> new String[] {"JANUS_LOCAL", "true", "JANUS_RTP_PORTS", LocalJanusTest.rtpPorts(),
                "JANUS_ICE_INTERFACE", v}).orElse(new String[] {"JANUS_LOCAL", "true", "JANUS_RTP_PORTS", LocalJanusTest.rtpPorts()});
    }

    @Test
    void withoutJanusTheHealthSaysNotUsed() {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> ready = server.get("/health/ready");
            assertEquals(200, ready.statusCode());
            assertTrue(ready.body().contains("\"janus\":\"not used\""), ready.body());
        }
    }

    @Test
    void theServerRunsItsOwnJanusAndStopsItWithItself() {
        Janus.libraries();
        List<ProcessHandle> before = janusChildren();
        TestServer server = TestServer.start(localJanus());
        List<ProcessHandle> mine;
        try {
            Await.until(() -> server.get("/health/ready").body().contains("\"janus\":\"up\""), Duration.ofSeconds(15),
                    Duration.ofMillis(50), () -> "the local Janus is not up: " + server.get("/health/ready").body());
            assertEquals(200, server.get("/health/ready").statusCode());
            mine = janusChildren().stream().filter(p -> !before.contains(p)).toList();
            assertEquals(1, mine.size(), "one Janus per server: " + mine);
        } finally {
            server.close();
        }
        assertTrue(mine.stream().noneMatch(ProcessHandle::isAlive), "a Janus outlived its server");
        assertEquals(before.size(), janusChildren().size(), "janus processes left: " + janusChildren());
    }

    @Test
    void anExternalJanusIsReportedUpThenDownWhenItDies() {
        try (Janus janus = Janus.start();
                TestServer server = TestServer.start("JANUS_URLS", janus.url().toString(), "JANUS_API_SECRET", janus.apiSecret,
                        "JANUS_ADMIN_KEY", janus.adminKey);
                TestServer wrongSecret = TestServer.start("JANUS_URLS", janus.url().toString(), "JANUS_API_SECRET", "wrong")) {
            Await.until(() -> server.get("/health/ready").body().contains("\"janus\":\"up\""), Duration.ofSeconds(10),
                    Duration.ofMillis(50), () -> "Janus is not up: " + server.get("/health/ready").body());
            HttpResponse<String> refused = wrongSecret.get("/health/ready");
            assertEquals(200, refused.statusCode(), "without the SFU the node still serves (mesh calls): " + refused.body());
            assertTrue(refused.body().contains("\"janus\":\"down\""), refused.body());

            janus.kill();
            Await.until(() -> server.get("/health/ready").body().contains("\"janus\":\"down\""), Duration.ofSeconds(15),
                    Duration.ofMillis(20), () -> "Janus still up after it died: " + server.get("/health/ready").body());
            assertEquals(200, server.get("/health/ready").statusCode());
        }
    }
}
