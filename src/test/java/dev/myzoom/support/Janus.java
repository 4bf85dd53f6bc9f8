package dev.myzoom.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Janus from Debian's package for one test: a config folder of its own (written here,
 * apart from the server's LocalJanus, so that a bug there cannot hide in the tests), the WebSocket
 * transport on a free loopback port, an RTP range of its own, fresh secrets, and only the VideoRoom
 * plugin. Janus never gathers ICE on loopback, so inside .ci/netns it is given the veth mz0;
 * elsewhere ICE is left at its default (these tests make no PeerConnection). Missing Janus skips
 * the test, except under CI=true.
 */
public final class Janus implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/janus");
    public final int port;
    public final String apiSecret;
    public final String adminKey;
    private final Path folder;
    private final Path log;
    private Process process;

    private Janus(int port, Path folder, String apiSecret, String adminKey) {
        this.port = port;
        this.apiSecret = apiSecret;
        this.adminKey = adminKey;
        this.folder = folder;
        this.log = folder.resolve("janus.log");
    }

    /** A Janus with its default session timeout (60 s). */
    public static Janus start() {
        return start(60);
    }

    /** A Janus whose sessions time out after {@code sessionTimeoutSeconds} without a keepalive. */
    public static Janus start(int sessionTimeoutSeconds) {
        return start(sessionTimeoutSeconds, UUID.randomUUID().toString(), UUID.randomUUID().toString());
    }

    /** A Janus with the given API secret and VideoRoom admin key: several of them behind one server share theirs. */
    public static Janus start(int sessionTimeoutSeconds, String apiSecret, String adminKey) {
        Path libraries = libraries();
        try {
            int port = TestServer.freePort();
            Path folder = Files.createTempDirectory("janus-test");
            Janus janus = new Janus(port, folder, apiSecret, adminKey);
            janus.write(libraries, sessionTimeoutSeconds);
            janus.process = new ProcessBuilder(List.of(BINARY.toString(), "-F", folder.toString(),
                    "-C", folder.resolve("janus.jcfg").toString()))
                    .redirectErrorStream(true).redirectOutput(janus.log.toFile()).start();
            janus.awaitListening();
            return janus;
        } catch (IOException e) {
            throw new AssertionError("cannot start janus", e);
        }
    }

    /** Where Debian put Janus's plugin folders, e.g. /usr/lib/x86_64-linux-gnu/janus. */
    public static Path libraries() {
        if (!Files.isExecutable(BINARY)) {
            Missing.skipOrFail("Janus is missing at " + BINARY + " (apt-get install janus)", "Janus tests");
        }
        try (Stream<Path> dirs = Files.list(Path.of("/usr/lib"))) {
            Optional<Path> found = dirs.map(d -> d.resolve("janus"))
                    .filter(d -> Files.exists(d.resolve("plugins/libjanus_videoroom.so"))).findFirst();
            if (found.isEmpty()) {
                Missing.skipOrFail("Janus's VideoRoom plugin is missing under /usr/lib/*/janus/plugins", "Janus tests");
            }
            return found.orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The namespace's veth, when the test runs inside .ci/netns. */
    public static Optional<String> veth() {
        // Asked of the JVM, which lives in the namespace; /sys/class/net is the machine's, since
        // .ci/netns does not mount a sysfs of its own.
        try {
            return java.net.NetworkInterface.getByName("mz0") != null ? Optional.of("mz0") : Optional.empty();
        } catch (java.net.SocketException e) {
            return Optional.empty();
        }
    }

    public URI url() {
        return URI.create("ws://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills Janus at once (SIGKILL), as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind
        }
    }

    private void write(Path libraries, int sessionTimeoutSeconds) throws IOException {
        int rtp = 41000 + 100 * ThreadLocalRandom.current().nextInt(180);
        String ice = veth().map(v -> "\tice_enforce_list = \"" + v + "\"\n").orElse("");
        write("janus.jcfg", "general: {\n"
                + "\tconfigs_folder = \"" + folder + "\"\n"
                + "\tplugins_folder = \"" + libraries.resolve("plugins") + "\"\n"
                + "\ttransports_folder = \"" + libraries.resolve("transports") + "\"\n"
                + "\tevents_folder = \"" + libraries.resolve("events") + "\"\n"
                + "\tloggers_folder = \"" + libraries.resolve("loggers") + "\"\n"
                + "\tdebug_level = 4\n\tdebug_colors = false\n"
                + "\tapi_secret = \"" + apiSecret + "\"\n"
                + "\tsession_timeout = " + sessionTimeoutSeconds + "\n"
                + "}\n"
                + "media: {\n\trtp_port_range = \"" + rtp + "-" + (rtp + 99) + "\"\n}\n"
                + "nat: {\n" + ice + "}\n"
                + "plugins: {\n\tdisable = \"" + others(libraries.resolve("plugins"), "libjanus_videoroom.so") + "\"\n}\n"
                + "transports: {\n\tdisable = \"" + others(libraries.resolve("transports"), "libjanus_websockets.so") + "\"\n}\n"
                + "loggers: {\n\tdisable = \"" + others(libraries.resolve("loggers"), "") + "\"\n}\n"
                + "events: {\n\tbroadcast = false\n}\n");
        write("janus.transport.websockets.jcfg", "general: {\n\tjson = \"plain\"\n\tws = true\n\tws_port = " + port
                + "\n\tws_ip = \"127.0.0.1\"\n\twss = false\n}\nadmin: {\n\tadmin_ws = false\n\tadmin_wss = false\n}\n");
        write("janus.plugin.videoroom.jcfg", "general: {\n\tadmin_key = \"" + adminKey
                + "\"\n\tstring_ids = true\n\tlock_rtp_forward = true\n}\n");
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** The libraries in {@code dir} other than {@code keep}, for a {@code disable} list. */
    private static String others(Path dir, String keep) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return String.join(",", files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".so") && !n.equals(keep)).sorted().toList());
        }
    }

    private void awaitListening() {
        Await.until(() -> {
            if (!process.isAlive()) {
                fail("janus exited: " + log());
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(15), Duration.ofMillis(50), () -> "janus did not open its WebSocket port " + port + ": " + log());
    }
}
