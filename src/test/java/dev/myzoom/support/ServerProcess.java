package dev.myzoom.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.App;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The server in a JVM of its own, as an operator runs it, with settings from the environment. */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
    public final Process process;
    public final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The command that runs the server in a new JVM with this test's class path. */
    public static ProcessBuilder java(String... args) {
        return java(List.of(), args);
    }

    /** The same, with options for the JVM such as {@code -Xmx1g}. */
    public static ProcessBuilder java(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath(), App.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DATABASE_URL", "jdbc:h2:mem:process;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        // No Janus of its own unless the test's settings ask for one.
        builder.environment().put("JANUS_LOCAL", "false");
        return builder;
    }

    /**
     * This JVM's class path, or, under {@code exec:java} (where that is Maven's own), the class
     * path of the loader that loaded the project.
     */
    private static String classPath() {
        if (ServerProcess.class.getClassLoader() instanceof java.net.URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (java.net.URL url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            return String.join(java.io.File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    /** Starts a server on a free loopback port and waits until it says where it listens. */
    public static ServerProcess start(Map<String, String> settings) throws IOException {
        return start(settings, List.of());
    }

    /** Starts a server as above in a JVM started with {@code jvmOptions}. */
    public static ServerProcess start(Map<String, String> settings, List<String> jvmOptions) throws IOException {
        ProcessBuilder builder = java(jvmOptions);
        builder.environment().put("PORT", "0");
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().putAll(TestServer.ONE_ADDRESS_MANY_PEOPLE);
        builder.environment().putAll(settings);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        int port = -1;
        for (String line; port < 0 && (line = out.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            }
        }
        assertTrue(port > 0, "the server never said where it listens");
        // Keep reading, so that a full pipe never blocks the server's logging.
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
                // the process ended
            }
        }, "server-output");
        drain.setDaemon(true);
        drain.start();
        return new ServerProcess(process, port);
    }

    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The JVM's resident memory now, in bytes, from /proc (0 where there is no /proc). */
    public long rssBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc here
        }
        return 0;
    }

    /** Kills the JVM without warning, as a crash or a pulled plug would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
