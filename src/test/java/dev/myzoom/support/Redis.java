package dev.myzoom.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private redis-server from Debian's package on a free loopback port, keeping nothing on disk.
 * Tests in CI run in a network namespace where the machine's Redis cannot be reached, so each
 * test starts its own. Missing redis-server skips the test, except under CI=true.
 */
public final class Redis implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/redis-server");
    /** The CLUSTER_SECRET every test node on a Redis is given with its REDIS_URL. */
    public static final String CLUSTER_SECRET = "test cluster secret, the same on every node";
    public final int port;
    private final Path log;
    private Process process;

    private Redis(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    public static Redis start() {
        if (!Files.isExecutable(BINARY)) {
            Missing.skipOrFail("redis-server is missing at " + BINARY + " (apt-get install redis-server)", "cluster tests");
        }
        try {
            Redis redis = new Redis(TestServer.freePort(), Files.createTempFile("redis", ".log"));
            redis.launch();
            return redis;
        } catch (IOException e) {
            throw new AssertionError("cannot start redis-server", e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills Redis without warning (as a crash would), so that it forgets everything. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts Redis again on the same port, empty. */
    public void launch() {
        try {
            process = new ProcessBuilder(List.of(BINARY.toString(), "--port", String.valueOf(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start redis-server", e);
        }
        Await.until(() -> {
            if (!process.isAlive()) {
                fail("redis-server exited: " + log());
            }
            return answersPing();
        }, Duration.ofSeconds(10), Duration.ofMillis(50), () -> "redis-server did not answer: " + log());
    }

    private boolean answersPing() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int n = in.read(reply);
            return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        kill();
    }
}
