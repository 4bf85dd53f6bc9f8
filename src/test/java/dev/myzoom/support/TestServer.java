package dev.myzoom.support;

import dev.myzoom.App;
import dev.myzoom.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** A real server on a free loopback port, with settings overridden per test. */
public final class TestServer implements AutoCloseable {
    private final App app;
    private final HttpClient http = HttpClient.newHttpClient();
    /** The JDBC URL of this server's database. */
    public final String databaseUrl;

    private TestServer(App app, String databaseUrl) {
        this.app = app;
        this.databaseUrl = databaseUrl;
    }

    /** Connection limits for tests, whose clients (many people) all come from loopback. */
    public static final Map<String, String> ONE_ADDRESS_MANY_PEOPLE = Map.of(
            "MAX_CONNECTIONS_PER_ADDRESS", "100000", "UPGRADE_RATE", "100000", "MAX_CONNECTIONS", "100000");

    /** As {@link #start(String...)}, with the settings a {@link ServerProcess} of the same cluster takes. */
    public static TestServer start(Map<String, String> overrides) {
        return start(overrides.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new));
    }

    public static TestServer start(String... overrides) {
        Map<String, String> settings = new HashMap<>();
        settings.put("PORT", "0");
        settings.put("HOST", "127.0.0.1");
        // Every client of a test comes from 127.0.0.1, so one address stands for many people.
        settings.putAll(ONE_ADDRESS_MANY_PEOPLE);
        // No Janus of its own unless the test asks: most tests are about the mesh.
        settings.put("JANUS_LOCAL", "false");
        // Each test server has a database of its own, in memory, unless the test says otherwise.
        settings.put("DATABASE_URL", "jdbc:h2:mem:" + java.util.UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        // Recordings go to a folder of the test's own, never into the checkout.
        try {
            settings.put("RECORDINGS_DIR", java.nio.file.Files.createTempDirectory("myzoom-recordings").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int i = 0; i < overrides.length; i += 2) {
            settings.put(overrides[i], overrides[i + 1]);
        }
        return new TestServer(App.start(Config.from(settings::get)), settings.get("DATABASE_URL"));
    }

    /** A port that was free a moment ago, for a test that restarts a server on the same address. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public int port() {
        return app.port();
    }

    public String url(String path) {
        return "http://localhost:" + port() + path;
    }

    public URI wsUri() {
        return URI.create("ws://localhost:" + port() + "/ws");
    }

    public WsClient connect() {
        return WsClient.connect(wsUri(), null);
    }

    public HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " failed", e);
        }
    }

    public App app() {
        return app;
    }

    @Override
    public void close() {
        app.close();
    }
}
