package dev.myzoom.media.janus;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.concurrency.DaemonThreads;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's lasting connection to one Janus: a {@link JanusClient} with a control session and a
 * VideoRoom handle on it (for room-level requests), opened again with a growing pause whenever it
 * closes (Janus restarted, network gone). A probe on the control handle every few seconds proves
 * the whole path (socket, API secret, session, plugin); a probe that fails drops the connection,
 * so a Janus that hangs is treated like one that died.
 */
public final class JanusLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JanusLink.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(10);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(5);
    private static final Duration STARTUP_GRACE = Duration.ofSeconds(5);

    private final URI uri;
    private final Optional<String> apiSecret;
    private final Optional<String> adminKey;
    private final HttpClient http;
    private final ObjectMapper json;
    private final JanusClient.Settings settings;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("janus-link"));
    private volatile Connected current;
    private volatile boolean closed;
    private Duration pause = FIRST_PAUSE;
    private int failuresInARow;
    /** When the link started, and whether it has ever been up: a Janus started with the server needs a moment. */
    private long startedAt;
    private boolean everUp;

    /** A connection with its control session and VideoRoom handle. */
    private record Connected(JanusClient client, JanusSession control, VideoRoom rooms) {}

    public JanusLink(URI uri, Optional<String> apiSecret, Optional<String> adminKey, HttpClient http, ObjectMapper json,
            JanusClient.Settings settings) {
        this.uri = uri;
        this.apiSecret = apiSecret;
        this.adminKey = adminKey;
        this.http = http;
        this.json = json;
        this.settings = settings;
    }

    /** Starts connecting, in the background: the server starts whether Janus is there or not. */
    public JanusLink start() {
        startedAt = System.nanoTime();
        thread.execute(this::connect);
        thread.scheduleWithFixedDelay(this::probe, PROBE_EVERY.toMillis(), PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public URI uri() {
        return uri;
    }

    /** Whether the connection is open and its last probe (or its setup) succeeded. */
    public boolean up() {
        Connected c = current;
        return c != null && c.client().isOpen();
    }

    /** The open client, for the sessions of participants. */
    public Optional<JanusClient> client() {
        return Optional.ofNullable(current).filter(c -> c.client().isOpen()).map(Connected::client);
    }

    /** The VideoRoom handle of the control session, for room-level requests. */
    public Optional<VideoRoom> rooms() {
        return Optional.ofNullable(current).filter(c -> c.client().isOpen()).map(Connected::rooms);
    }

    /** Blocks until the link is up, for start-up logs and tests; false after {@code patience}. */
    public boolean awaitUp(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!up() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return up();
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        Connected c = current;
        if (c != null) {
            c.client().close();
        }
    }

    /** On the link's thread, as everything here but the getters. */
    private void connect() {
        if (closed) {
            return;
        }
        long t0 = System.nanoTime();
        JanusClient.connect(http, uri, apiSecret, json, settings)
                .thenCompose(client -> client.createSession(JanusListener.IGNORE)
                        .thenCompose(session -> session.attachVideoRoom(JanusListener.IGNORE)
                                .thenApply(handle -> new Connected(client, session, new VideoRoom(handle, adminKey))))
                        .whenComplete((c, failure) -> {
                            if (failure != null) {
                                client.close();
                            }
                        }))
                // Back on the link's thread, which alone touches the pause and the failure count.
                .whenCompleteAsync((c, failure) -> {
                    if (failure != null) {
                        retry(JanusException.of(failure));
                        return;
                    }
                    if (closed) {
                        c.client().close();
                        return;
                    }
                    current = c;
                    everUp = true;
                    pause = FIRST_PAUSE;
                    log.info("connected to Janus at {} in {} ms", uri, (System.nanoTime() - t0) / 1_000_000);
                    failuresInARow = 0;
                    c.client().closed().thenRunAsync(() -> {
                        if (!closed) {
                            retry(new JanusException(JanusException.CLOSED, "lost the connection"));
                        }
                    }, thread);
                }, thread);
    }

    private void retry(JanusException why) {
        if (closed) {
            return;
        }
        // The first failure of a run and every tenth after it, so that a Janus that stays away
        // does not fill the log; none in the first seconds, while a Janus started with the
        // server is still opening its port.
        boolean starting = !everUp && System.nanoTime() - startedAt < STARTUP_GRACE.toNanos();
        failuresInARow = starting ? 0 : failuresInARow + 1;
        if (!starting && (failuresInARow == 1 || failuresInARow % 10 == 0)) {
            if (why.code() == 403) {
                log.error("Janus at {} refuses the API secret (JANUS_API_SECRET): {}", uri, why.reason());
            } else {
                log.warn("cannot reach Janus at {} ({}); trying again", uri, why.getMessage());
            }
        }
        Duration wait = pause;
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        try {
            thread.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // closed meanwhile
        }
    }

    private void probe() {
        Connected c = current;
        if (c == null || !c.client().isOpen()) {
            return;
        }
        try {
            c.rooms().exists("myzoom-probe").get(settings.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Janus at {} did not answer a probe ({}); reconnecting", uri, JanusException.of(e).getMessage());
            c.client().abort();
        }
    }
}
