package dev.myzoom.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL for tests. Under CI=true (inside a network namespace, where the machine's server
 * cannot be reached) a private one is made with Debian's initdb and pg_ctl on a free port; it can
 * be stopped and started again to test an outage. Otherwise the machine's server at
 * 127.0.0.1:5432 (database test, trust) is used if it answers, and the test is skipped if not.
 * Each instance works in a fresh schema of its own.
 */
public final class Postgres implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private final Path dataDir;
    private final int port;
    private final String database;
    private final String schema = "t_" + UUID.randomUUID().toString().replace("-", "");

    private Postgres(Path dataDir, int port, String database) {
        this.dataDir = dataDir;
        this.port = port;
        this.database = database;
    }

    /** The machine's server if it answers (outside CI), else a private one. */
    public static Postgres any() {
        if (!"true".equals(System.getenv("CI")) && reachable(5432)) {
            return new Postgres(null, 5432, "test").withSchema();
        }
        return privateServer();
    }

    /** A private server this test can stop and start. */
    public static Postgres privateServer() {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            String why = "PostgreSQL's initdb is missing at " + BIN + " (apt-get install postgresql)";
            Missing.skipOrFail(why, "PostgreSQL tests");
        }
        try {
            Path dir = Files.createTempDirectory("pg");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            asPostgres(dir);
            run(asPostgresUser(List.of(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                    "-A", "trust", "-U", "postgres", "--no-sync")));
            Postgres pg = new Postgres(dir.resolve("data"), port, "postgres");
            pg.startAgain();
            return pg.withSchema();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot start a private PostgreSQL", e);
        }
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?currentSchema=" + schema
                + "&connectTimeout=2&socketTimeout=5";
    }

    public String user() {
        return "postgres".equals(database) ? "postgres" : System.getProperty("user.name");
    }

    /** Stops the server at once, as a crash or an outage would. */
    public void stop() {
        pgCtl("stop", "-m", "immediate");
    }

    public void startAgain() {
        pgCtl("start", "-w", "-o", "-p " + port + " -k " + dataDir.getParent() + " -c listen_addresses=127.0.0.1 -c fsync=off");
    }

    private Postgres withSchema() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, user(), "")) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            if (dataDir == null) {
                Assumptions.abort("the machine's PostgreSQL answers but refuses us: " + e.getMessage());
            }
            throw new AssertionError(e);
        }
        return this;
    }

    private void pgCtl(String... args) {
        if (dataDir == null) {
            throw new IllegalStateException("the machine's PostgreSQL is not ours to stop");
        }
        List<String> command = new ArrayList<>(List.of(BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                "-l", dataDir.getParent().resolve("log").toString()));
        command.addAll(List.of(args));
        try {
            run(asPostgresUser(command));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("pg_ctl " + String.join(" ", args) + " failed", e);
        }
    }

    private static boolean reachable(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // PostgreSQL refuses to run as root.
    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgresUser(List<String> command) {
        if (!root()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void asPostgres(Path dir) throws IOException, InterruptedException {
        if (root()) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(command + " failed: " + out);
        }
    }

    @Override
    public void close() {
        if (dataDir != null) {
            try {
                stop();
            } catch (AssertionError ignored) {
                // already stopped
            }
        } else {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, user(), "")) {
                c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException ignored) {
                // the next run uses another schema anyway
            }
        }
    }
}
