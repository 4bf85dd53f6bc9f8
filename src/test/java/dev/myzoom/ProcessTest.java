package dev.myzoom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.support.ServerProcess;
import dev.myzoom.support.WsClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server as an operator runs it: a separate JVM, settings from the environment, stopped by SIGTERM. */
class ProcessTest {
    private static ProcessBuilder java(String... args) {
        return ServerProcess.java(args);
    }

    private static String output(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void sigtermClosesEveryWebSocketWith1012AndExitsWithinSeconds() throws Exception {
        ServerProcess node = ServerProcess.start(Map.of());
        Process server = node.process;
        try {
            URI ws = node.wsUri();
            try (WsClient a = WsClient.connect(ws, null); WsClient b = WsClient.connect(ws, null)) {
                a.join("shutdown", "A");
                b.join("shutdown", "B");

                long start = System.nanoTime();
                server.destroy(); // SIGTERM
                assertEquals(1012, a.awaitClose());
                assertEquals(1012, b.awaitClose());
                assertTrue(server.waitFor(5, TimeUnit.SECONDS), "the server did not exit within 5 s of SIGTERM");
                System.out.printf("SIGTERM to exit: %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void aBadSettingStopsStartUpWithOneLineNamingIt() throws Exception {
        ProcessBuilder builder = java();
        builder.environment().put("PORT", "eighty");
        Process process = builder.start();
        String out = output(process);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        assertEquals("Invalid setting PORT=\"eighty\": expected a whole number from 0 to 65535", out.strip());
    }

    @Test
    void systemPropertiesOverrideTheEnvironment() throws Exception {
        ProcessBuilder builder = java();
        builder.command().add(1, "-DPORT=nope");
        builder.environment().put("PORT", "0");
        Process process = builder.start();
        String out = output(process);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        assertTrue(out.contains("Invalid setting PORT=\"nope\""), out);
    }

    @Test
    void helpListsTheSettings() throws Exception {
        Process process = java("--help").start();
        String out = output(process);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
        assertTrue(out.contains("PORT") && out.contains("ALLOWED_ORIGINS") && out.contains("PUBLIC_URL"), out);
    }
}
