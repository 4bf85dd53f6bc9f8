package dev.myzoom.media.janus;

import dev.myzoom.concurrency.DaemonThreads;
import dev.myzoom.protocol.RandomIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own Janus, for one command on one machine: a config folder of its own (random API
 * secret and admin key, a free loopback port for the WebSocket, the RTP ports and ICE interfaces
 * from the settings), run as a child process, started again with a growing pause if it dies, and
 * stopped with the server. The same port and secrets serve every restart, so the server's client
 * only has to reconnect. Its output goes to a log file of its own that outlives it.
 */
public final class LocalJanus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalJanus.class);
    /** The pause before the first restart; it doubles up to {@link #MAX_PAUSE}. */
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    /** A Janus that ran this long before dying was healthy: the next restart is quick again. */
    private static final Duration STABLE = Duration.ofMinutes(1);

    /**
     * @param rtpMin the lowest UDP port for media
     * @param rtpMax the highest
     * @param iceInterfaces Janus's {@code ice_enforce_list}, or empty for its default
     * @param sessionTimeout Janus's {@code session_timeout}; 60 s unless a test wants it shorter
     */
    public record Settings(int rtpMin, int rtpMax, Optional<String> iceInterfaces, Duration sessionTimeout) {}

    private final JanusInstall install;
    private final Path folder;
    private final Path logFile;
    private final int port;
    private final String apiSecret = RandomIds.hex(32);
    private final String adminKey = RandomIds.hex(32);
    private final Thread supervisor;
    private final AtomicInteger starts = new AtomicInteger();
    /**
     * Kills Janus when the JVM exits without {@link #close()} (System.exit on a start-up error,
     * SIGTERM before the server's own hook): a child process would otherwise outlive the server.
     */
    private final Thread exitHook = new Thread(this::killNow, "janus-exit");
    private Process process;
    private boolean stopping;

    private LocalJanus(JanusInstall install, Settings settings) throws IOException {
        this.install = install;
        this.folder = Files.createTempDirectory("myzoom-janus-");
        this.logFile = Files.createTempFile("myzoom-janus-", ".log");
        this.port = freePort();
        JanusConfigFolder.write(folder, install, new JanusConfigFolder.Settings(port, apiSecret, adminKey,
                settings.rtpMin(), settings.rtpMax(), settings.iceInterfaces(), (int) settings.sessionTimeout().toSeconds()));
        this.supervisor = DaemonThreads.named("janus-supervisor").newThread(this::supervise);
    }

    /** Writes the config and starts Janus; it is up once its WebSocket port answers. */
    public static LocalJanus start(JanusInstall install, Settings settings) {
        killOrphans(install);
        try {
            LocalJanus janus = new LocalJanus(install, settings);
            Runtime.getRuntime().addShutdownHook(janus.exitHook);
            janus.supervisor.start();
            return janus;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local Janus's config", e);
        }
    }

    /**
     * Ends the Janus processes an earlier server left behind: a JVM killed with SIGKILL runs no
     * exit hook, and its Janus would hold ports and CPU for good. One is known by its config folder
     * (ours are called myzoom-janus-*) and by having lost its parent (it now hangs from PID 1), so
     * a Janus another server on this machine still runs is left alone. Its folder, which holds its
     * secrets, goes too.
     */
    static int killOrphans(JanusInstall install) {
        int killed = 0;
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            ProcessHandle.Info info = p.info();
            boolean janus = info.command().map(c -> c.equals(install.binary().toString())).orElse(false);
            boolean orphan = p.parent().map(parent -> parent.pid() == 1).orElse(true);
            Optional<Path> folder = info.arguments().flatMap(LocalJanus::configFolder);
            if (janus && orphan && folder.isPresent() && p.destroyForcibly()) {
                killed++;
                log.warn("stopped a local Janus left behind by an earlier server (pid {}, {})", p.pid(), folder.get());
                delete(folder.get());
            }
        }
        return killed;
    }

    /** The folder after -F if it is one of ours. */
    private static Optional<Path> configFolder(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("-F") && Path.of(args[i + 1]).getFileName().toString().startsWith("myzoom-janus-")) {
                return Optional.of(Path.of(args[i + 1]));
            }
        }
        return Optional.empty();
    }

    public URI url() {
        return URI.create("ws://127.0.0.1:" + port);
    }

    public String apiSecret() {
        return apiSecret;
    }

    public String adminKey() {
        return adminKey;
    }

    public Path logFile() {
        return logFile;
    }

    public Path folder() {
        return folder;
    }

    /** The running Janus's process id, if one runs. */
    public synchronized OptionalLong pid() {
        return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    /** How many times Janus was started, the first time included. */
    public int starts() {
        return starts.get();
    }

    /** Stops Janus (SIGTERM, then SIGKILL after 5 s) and deletes its config folder, secrets and all. */
    @Override
    public void close() {
        Process running;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            running = process;
        }
        supervisor.interrupt();
        if (running != null) {
            stop(running);
        }
        try {
            supervisor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delete(folder);
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway, and finds nothing left to kill
        }
    }

    private void killNow() {
        Process running;
        synchronized (this) {
            stopping = true;
            running = process;
        }
        if (running != null && running.isAlive()) {
            running.destroyForcibly();
        }
        delete(folder);
    }

    private void supervise() {
        Duration pause = FIRST_PAUSE;
        while (true) {
            Process p;
            long began = System.nanoTime();
            synchronized (this) {
                if (stopping) {
                    return;
                }
                try {
                    p = new ProcessBuilder(List.of(install.binary().toString(), "-F", folder.toString(),
                            "-C", folder.resolve("janus.jcfg").toString()))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                            .start();
                } catch (IOException e) {
                    log.error("cannot start the local Janus ({}): {}", install.binary(), e.getMessage());
                    p = null;
                }
                process = p;
            }
            int exit = -1;
            if (p != null) {
                starts.incrementAndGet();
                try {
                    exit = p.waitFor();
                } catch (InterruptedException e) {
                    // close() stops the process itself; the loop then sees stopping
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            synchronized (this) {
                if (stopping) {
                    return;
                }
            }
            if (Duration.ofNanos(System.nanoTime() - began).compareTo(STABLE) >= 0) {
                pause = FIRST_PAUSE;
            }
            log.warn("the local Janus exited (code {}); starting it again in {} ms (its log: {})", exit, pause.toMillis(), logFile);
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete the local Janus's config folder {}: {}", dir, e.getMessage());
        }
    }
}
