package dev.myzoom.media.janus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myzoom.concurrency.DaemonThreads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket to one Janus (subprotocol {@code janus-protocol}), carrying the Janus API as JSON.
 * Every request carries the API secret and a transaction id; {@link Transactions} matches the
 * answers, and whatever is not an answer is an event for the session or handle it names.
 *
 * <p>Everything that arrives is handled on the client's one thread, in arrival order, so that a
 * request's answer and the events that follow it are seen in Janus's order. The same thread sends
 * the sessions' keepalives and times requests out. Janus ties sessions to the socket that created
 * them: when it closes, Janus destroys them, and every request still waiting fails with
 * {@link JanusException#CLOSED}.
 */
public final class JanusClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JanusClient.class);

    /**
     * @param connectTimeout how long opening the WebSocket may take
     * @param requestTimeout how long a request may wait for its answer
     * @param keepaliveInterval how often each session is kept alive; Janus's {@code session_timeout}
     *     is 60 s by default, and a third of it leaves room for two lost keepalives. Zero: never
     */
    public record Settings(Duration connectTimeout, Duration requestTimeout, Duration keepaliveInterval, RequestTimer timer) {
        public Settings(Duration connectTimeout, Duration requestTimeout, Duration keepaliveInterval) {
            this(connectTimeout, requestTimeout, keepaliveInterval, RequestTimer.NONE);
        }

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20));
        }

        public Settings timedBy(RequestTimer newTimer) {
            return new Settings(connectTimeout, requestTimeout, keepaliveInterval, newTimer);
        }
    }

    /** Hears how long each request took to be answered, for the metrics. */
    @FunctionalInterface
    public interface RequestTimer {
        RequestTimer NONE = (instance, request, nanos, ok) -> { };

        /**
         * @param instance the Janus that answered
         * @param request the Janus verb, or the plugin's request for a message ("join", "publish", …)
         */
        void answered(URI instance, String request, long nanos, boolean ok);
    }

    private final URI uri;
    private final Optional<String> apiSecret;
    private final ObjectMapper json;
    private final ScheduledExecutorService thread;
    private final Transactions transactions;
    private final RequestTimer timer;
    private final Map<Long, JanusSession> sessions = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile WebSocket socket;
    private volatile Outbox outbox;

    private JanusClient(URI uri, Optional<String> apiSecret, ObjectMapper json, Settings settings) {
        this.uri = uri;
        this.apiSecret = apiSecret;
        this.json = json;
        ScheduledThreadPoolExecutor one = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("janus-client"));
        // Answered requests cancel their timeouts; without this the thread would linger after
        // a close until the last cancelled timeout was due.
        one.setRemoveOnCancelPolicy(true);
        this.thread = one;
        this.transactions = new Transactions(thread, settings.requestTimeout());
        this.timer = settings.timer();
        long every = settings.keepaliveInterval().toMillis();
        if (every > 0) {
            thread.scheduleAtFixedRate(this::keepSessionsAlive, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Opens the WebSocket. The future fails with {@link JanusException#CLOSED} when Janus cannot
     * be reached; a wrong API secret shows only on the first request, as Janus checks it there.
     */
    public static CompletableFuture<JanusClient> connect(HttpClient http, URI uri, Optional<String> apiSecret,
            ObjectMapper json, Settings settings) {
        JanusClient client = new JanusClient(uri, apiSecret, json, settings);
        return http.newWebSocketBuilder()
                .subprotocols("janus-protocol")
                .connectTimeout(settings.connectTimeout())
                .buildAsync(uri, client.new Receiver())
                .handle((ws, failure) -> {
                    if (failure != null) {
                        client.gone(new JanusException(JanusException.CLOSED, "cannot open " + uri + ": " + failure.getMessage()));
                        throw new JanusException(JanusException.CLOSED, "cannot open " + uri + ": " + failure.getMessage());
                    }
                    client.socket = ws;
                    client.outbox = new Outbox(ws);
                    return client;
                });
    }

    public URI uri() {
        return uri;
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    /** Completes when the socket has closed, whoever closed it. */
    public CompletableFuture<Void> closed() {
        return closed.copy();
    }

    /** Janus's {@code info}: its version, plugins and transports; a cheap "are you there". */
    public CompletableFuture<JsonNode> info() {
        return send(request("info"), false);
    }

    /**
     * Creates a session, kept alive by this client until it is destroyed, times out, or the
     * socket closes.
     *
     * @param listener gets the session's own events ({@code timeout}) and those of handles that
     *     have no listener of their own
     */
    public CompletableFuture<JanusSession> createSession(JanusListener listener) {
        return send(request("create"), false).thenApply(reply -> {
            long id = reply.path("data").path("id").asLong();
            if (id == 0) {
                throw new JanusException(JanusException.PROTOCOL, "create answered without a session id: " + reply);
            }
            // Registered on the client's thread before any later message is read, so that no
            // event of the new session can arrive unseen.
            JanusSession session = new JanusSession(this, id, listener);
            sessions.put(id, session);
            return session;
        });
    }

    /** The sessions this client keeps alive, for a count in the logs or the admin view. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Closes the socket; Janus then destroys every session made through it. */
    @Override
    public void close() {
        gone(new JanusException(JanusException.CLOSED, "the client closed the connection"));
        WebSocket ws = socket;
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "")
                    .orTimeout(2, TimeUnit.SECONDS)
                    .whenComplete((done, failure) -> ws.abort());
        }
    }

    /** Drops the TCP connection without a closing handshake, as a crash or a dead network would. */
    public void abort() {
        gone(new JanusException(JanusException.CLOSED, "the client aborted the connection"));
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    /** A request of the Janus API with its verb and the API secret; the transaction is added on sending. */
    ObjectNode request(String verb) {
        ObjectNode message = json.createObjectNode().put("janus", verb);
        apiSecret.ifPresent(secret -> message.put("apisecret", secret));
        return message;
    }

    ObjectMapper json() {
        return json;
    }

    /**
     * Sends {@code message} under a new transaction.
     *
     * @param ackAnswers whether Janus's {@code ack} is the answer (keepalive, trickle), or only
     *     announces one to come (a plugin message handled later)
     */
    CompletableFuture<JsonNode> send(ObjectNode message, boolean ackAnswers) {
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        if (!isOpen() || outbox == null) {
            reply.completeExceptionally(new JanusException(JanusException.CLOSED, "not connected to " + uri));
            return reply;
        }
        String id = transactions.open(reply, ackAnswers);
        if (id == null) {
            return reply;
        }
        long start = System.nanoTime();
        String verb = message.path("janus").asText();
        String request = "message".equals(verb) ? message.path("body").path("request").asText(verb) : verb;
        reply.whenComplete((answer, failure) -> timer.answered(uri, request, System.nanoTime() - start, failure == null));
        message.put("transaction", id);
        String text;
        try {
            text = json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            transactions.fail(id, new JanusException(JanusException.PROTOCOL, e.getMessage()));
            return reply;
        }
        outbox.send(text).whenComplete((done, failure) -> {
            if (failure != null) {
                transactions.fail(id, new JanusException(JanusException.CLOSED, "could not send: " + failure.getMessage()));
            }
        });
        return reply;
    }

    void forget(JanusSession session) {
        sessions.remove(session.id());
    }

    private void keepSessionsAlive() {
        for (JanusSession session : sessions.values()) {
            session.keepalive().exceptionally(failure -> {
                JanusException e = JanusException.of(failure);
                if (e.code() == 458) {
                    // Janus no longer knows it (timed out while we were away): stop keeping it.
                    sessions.remove(session.id());
                }
                log.debug("keepalive of Janus session {} failed: {}", session.id(), e.getMessage());
                return null;
            });
        }
    }

    /** On the client's thread: an answer settles its request; anything else is an event. */
    private void received(String text) {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (JsonProcessingException e) {
            log.warn("unreadable message from Janus at {}: {}", uri, e.getOriginalMessage());
            return;
        }
        if (transactions.answer(message)) {
            return;
        }
        String type = message.path("janus").asText();
        long sessionId = message.path("session_id").asLong();
        JanusSession session = sessions.get(sessionId);
        if (session == null) {
            log.debug("Janus event for an unknown session {}: {}", sessionId, type);
            return;
        }
        if ("timeout".equals(type)) {
            sessions.remove(sessionId);
        }
        JsonNode plugin = message.path("plugindata").path("data");
        JsonNode jsep = message.get("jsep");
        session.deliver(new JanusEvent(type, sessionId, message.path("sender").asLong(), plugin,
                Optional.ofNullable(jsep), message));
    }

    private void gone(JanusException why) {
        if (closed.complete(null)) {
            thread.execute(() -> {
                transactions.failAll(why);
                sessions.clear();
            });
            thread.shutdown();
        }
    }

    /** The JDK WebSocket's callbacks: a message may come in parts, and reading resumes after each. */
    private final class Receiver implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    thread.execute(() -> received(text));
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // the client is closing: nobody waits for this any more
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            gone(new JanusException(JanusException.CLOSED, "Janus closed the connection (" + code + " " + reason + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            gone(new JanusException(JanusException.CLOSED, "connection to Janus failed: " + error));
        }
    }
}
