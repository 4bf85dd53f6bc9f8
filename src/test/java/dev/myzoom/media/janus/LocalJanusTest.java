package dev.myzoom.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.support.Await;
import dev.myzoom.support.Janus;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The server's own Janus: generated config, supervision, restart after a crash, stop. */
class LocalJanusTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** RTP ports of its own, apart from those of the other tests' Janus and coturn. */
    static String rtpPorts() {
        int base = 60000 + 100 * ThreadLocalRandom.current().nextInt(50);
        return base + "-" + (base + 99);
    }

    @Test
    void itStartsIsStartedAgainAfterAKillAndStopsForGood() throws Exception {
        Janus.libraries(); // skips (or fails under CI) with a message when Janus is missing
        JanusInstall install = JanusInstall.find(JanusInstall.DEBIAN_BINARY).orElseThrow();
        String[] range = rtpPorts().split("-");
        LocalJanus local = LocalJanus.start(install, new LocalJanus.Settings(Integer.parseInt(range[0]), Integer.parseInt(range[1]),
                Janus.veth(), Duration.ofSeconds(60)));
        JanusLink link = new JanusLink(local.url(), Optional.of(local.apiSecret()), Optional.of(local.adminKey()), HTTP, JSON,
                JanusClient.Settings.defaults());
        long first;
        long second;
        try {
            long t0 = System.nanoTime();
            link.start();
            assertTrue(link.awaitUp(Duration.ofSeconds(15)), "the local Janus never answered: " + Files.readString(local.logFile()));
            long upAfter = (System.nanoTime() - t0) / 1_000_000;
            String config = Files.readString(local.folder().resolve("janus.jcfg"));
            assertTrue(config.contains("api_secret = \"" + local.apiSecret() + "\""), config);
            assertTrue(config.contains("rtp_port_range = \"" + range[0] + "-" + range[1] + "\""), config);
            assertTrue(Files.readString(local.folder().resolve("janus.transport.websockets.jcfg")).contains("ws_ip = \"127.0.0.1\""));

            // The secrets are its own: a room needs the admin key, a request the API secret.
            link.rooms().orElseThrow().create("r1", "s", null).join();
            try (JanusClient stranger = JanusClient.connect(HTTP, local.url(), Optional.empty(), JSON,
                    JanusClient.Settings.defaults()).join()) {
                assertEquals(403, JanusException.of(assertThrows(CompletionException.class,
                        () -> stranger.createSession(JanusListener.IGNORE).join())).code());
            }

            first = local.pid().orElseThrow();
            t0 = System.nanoTime();
            assertTrue(ProcessHandle.of(first).orElseThrow().destroyForcibly(), "kill -9");
            Await.until(() -> local.pid().isPresent() && local.pid().getAsLong() != first && link.up(),
                    Duration.ofSeconds(15), Duration.ofMillis(20), () -> "Janus was not started again and reconnected");
            long backAfter = (System.nanoTime() - t0) / 1_000_000;
            second = local.pid().orElseThrow();
            assertEquals(2, local.starts());
            assertFalse(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false));
            // A new Janus knows nothing of the old one's rooms: the next slice must place them again.
            assertFalse(link.rooms().orElseThrow().exists("r1").join());
            System.out.printf("local Janus: up and answering in %d ms; after kill -9, running and reconnected in %d ms%n",
                    upAfter, backAfter);
        } finally {
            link.close();
            local.close();
        }
        assertNotEquals(first, second);
        assertFalse(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false), "Janus outlived close()");
        assertFalse(Files.exists(local.folder()), "the config folder with the secrets is left behind");
        Thread.sleep(1500);
        assertTrue(local.pid().isEmpty());
        assertEquals(2, local.starts(), "Janus was started again after close()");
    }

    /**
     * A server killed with SIGKILL runs no exit hook, so its Janus would run on for good, hanging
     * from PID 1: the next local Janus stops it, and its folder of secrets, and leaves alone a
     * Janus whose parent is alive.
     */
    @Test
    void aJanusLeftBehindByAKilledServerIsStoppedAtTheNextStart() throws Exception {
        Janus.libraries();
        JanusInstall install = JanusInstall.find(JanusInstall.DEBIAN_BINARY).orElseThrow();
        java.nio.file.Path folder = Files.createTempDirectory("myzoom-janus-");
        String[] range = rtpPorts().split("-");
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        JanusConfigFolder.write(folder, install, new JanusConfigFolder.Settings(port, "s", "k", Integer.parseInt(range[0]),
                Integer.parseInt(range[1]), Optional.empty(), 60));
        // setsid and a shell that exits at once: the Janus is reparented, as after a SIGKILL of its JVM.
        Process shell = new ProcessBuilder("setsid", "bash", "-c", install.binary() + " -F " + folder + " -C " + folder
                + "/janus.jcfg > /dev/null 2>&1 & echo $!").redirectErrorStream(true).start();
        long orphan = Long.parseLong(new String(shell.getInputStream().readAllBytes()).trim());
        shell.waitFor();
        Await.until(() -> ProcessHandle.of(orphan).flatMap(ProcessHandle::parent).map(p -> p.pid() == 1).orElse(false),
                Duration.ofSeconds(5), Duration.ofMillis(20), () -> "the orphan Janus was not reparented to PID 1");

        LocalJanus local = LocalJanus.start(install, new LocalJanus.Settings(Integer.parseInt(range[0]) + 50,
                Integer.parseInt(range[1]), Janus.veth(), Duration.ofSeconds(60)));
        try {
            Await.until(() -> !ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), Duration.ofSeconds(5),
                    Duration.ofMillis(20), () -> "the orphan Janus still runs");
            assertFalse(Files.exists(folder), "the orphan's folder with its secrets is left behind");
            Await.until(() -> local.pid().isPresent(), Duration.ofSeconds(10), Duration.ofMillis(20),
                    () -> "the new local Janus did not start");
            assertEquals(0, LocalJanus.killOrphans(install), "a Janus whose server is alive is not an orphan");
            assertTrue(ProcessHandle.of(local.pid().getAsLong()).map(ProcessHandle::isAlive).orElse(false));
        } finally {
            local.close();
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
