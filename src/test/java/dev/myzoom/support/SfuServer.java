package dev.myzoom.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/** A server with a Janus of its own, its ICE on the namespace's veth (Janus never uses loopback). */
public final class SfuServer {
    private SfuServer() {}

    /** Starts it with {@code settings} on top, and waits until its Janus answers. */
    public static TestServer start(String... settings) {
        Janus.libraries();
        List<String> all = new ArrayList<>(List.of("JANUS_LOCAL", "true", "JANUS_ICE_INTERFACE", "mz0",
                "JANUS_RTP_PORTS", "31000-31999"));
        all.addAll(List.of(settings));
        TestServer server = TestServer.start(all.toArray(String[]::new));
        boolean up = awaitJanus(server);
        if (!up) {
            server.close();
        }
        assertTrue(up, "the server's own Janus came up");
        return server;
    }

    /** Waits until /health/ready says the server's Janus answers; false after 20 s. */
    public static boolean awaitJanus(TestServer server) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (server.get("/health/ready").body().contains("\"janus\":\"up\"")) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
