package dev.myzoom.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * coturn from Debian's package, on a free loopback port, checking TURN REST credentials made from
 * {@code secret}. It allows loopback peers, which only tests need: a production coturn must not
 * (see docs/deploy.md). Missing coturn skips the test, except under CI=true.
 */
public final class Coturn implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/turnserver");
    private final Process process;
    public final int port;
    private final Path log;

    private Coturn(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static Coturn start(String secret) {
        return start(secret, "127.0.0.1");
    }

    /**
     * A coturn that relays from {@code relayIp}: the namespace's veth for a test whose peer is a
     * Janus, which is there (Janus never takes candidates on loopback).
     */
    public static Coturn start(String secret, String relayIp) {
        if (!Files.isExecutable(BINARY)) {
            String why = "coturn is missing at " + BINARY + " (apt-get install coturn)";
            Missing.skipOrFail(why, "TURN tests");
        }
        try {
            int port = freeUdpPort();
            Path log = Files.createTempFile("coturn", ".log");
            Process process = new ProcessBuilder(List.of(BINARY.toString(), "-n",
                    "--listening-ip=127.0.0.1", "--relay-ip=" + relayIp, "--listening-port=" + port,
                    "--min-port=" + (port + 1), "--max-port=" + (port + 200),
                    "--use-auth-secret", "--static-auth-secret=" + secret, "--realm=myzoom.test",
                    "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-cli", "--fingerprint",
                    "--log-file=stdout", "--simple-log", "--verbose", "--pidfile=" + log + ".pid"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Coturn coturn = new Coturn(process, port, log);
            coturn.awaitListening();
            return coturn;
        } catch (IOException e) {
            throw new AssertionError("cannot start coturn", e);
        }
    }

    public String url() {
        return "turn:127.0.0.1:" + port + "?transport=udp";
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitListening() {
        Await.until(() -> {
            if (!process.isAlive()) {
                fail("coturn exited: " + log());
            }
            return log().contains("listener opened on") || log().contains("IPv4. UDP listener opened");
        }, Duration.ofSeconds(10), Duration.ofMillis(100), () -> "coturn did not start listening: " + log());
    }

    private static int freeUdpPort() throws IOException {
        // Leave room above for the relay ports.
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = 20000 + (int) (Math.random() * 20000);
            try (DatagramSocket socket = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free UDP port");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
