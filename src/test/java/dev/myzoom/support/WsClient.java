package dev.myzoom.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A protocol client over the JDK's WebSocket: sends JSON, and waits for what the server says. */
public final class WsClient implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger ids = new AtomicInteger();

    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    /** Text frames received, the welcome included: what a resume says it got. */
    private final java.util.concurrent.atomic.AtomicLong frames = new java.util.concurrent.atomic.AtomicLong();
    private final WebSocket socket;
    public final String pid;
    public final JsonNode welcome;

    private WsClient(WebSocket socket, Listener listener) {
        this.socket = socket;
        listener.attach(this);
        this.welcome = next("welcome");
        this.pid = welcome.get("pid").asText();
    }

    public static WsClient connect(URI uri, String origin) {
        return connect(uri, origin, HttpClient.newHttpClient());
    }

    /** Connects with {@code http}, e.g. one that trusts a test's own TLS certificate. */
    public static WsClient connect(URI uri, String origin, HttpClient http) {
        Listener listener = new Listener();
        WebSocket.Builder builder = http.newWebSocketBuilder();
        if (origin != null) {
            builder.header("Origin", origin);
        }
        WebSocket ws = builder.buildAsync(uri, listener).orTimeout(10, TimeUnit.SECONDS).join();
        return new WsClient(ws, listener);
    }

    public void sendRaw(String frame) {
        socket.sendText(frame, true).join();
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).join();
    }

    public void send(ObjectNode message) {
        sendRaw(message.toString());
    }

    /** Builds a request with a fresh id; pairs are field names and values. */
    public static ObjectNode request(String type, Object... fields) {
        ObjectNode node = JSON.createObjectNode().put("type", type).put("id", "r" + ids.incrementAndGet());
        for (int i = 0; i < fields.length; i += 2) {
            node.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        }
        return node;
    }

    /** Sends the request and returns its reply (ack or error), skipping events that come between. */
    public JsonNode call(String type, Object... fields) {
        ObjectNode request = request(type, fields);
        send(request);
        String id = request.get("id").asText();
        return next(m -> id.equals(m.path("id").asText(null)) && m.has("type")
                && (m.get("type").asText().equals("ack") || m.get("type").asText().equals("error")));
    }

    /** Like {@link #call} but fails unless the reply is an ack. */
    public JsonNode ok(String type, Object... fields) {
        JsonNode reply = call(type, fields);
        assertEquals("ack", reply.get("type").asText(), () -> type + " was refused: " + reply);
        return reply;
    }

    /** Joins and waits for the room's history too, so that later checks see only what follows. */
    public JsonNode join(String room, String nick) {
        JsonNode ack = ok("join", "room", room, "nick", nick);
        history = next("history");
        return ack;
    }

    /** The history that came with the last {@link #join}. */
    public JsonNode history;

    public JsonNode next(String type) {
        return next(m -> type.equals(m.path("type").asText()));
    }

    /** Waits for the first message that matches, dropping the ones before it. */
    public JsonNode next(Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<JsonNode> skipped = new ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode m = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
                if (m == null) {
                    return fail("no matching message within " + WAIT + "; got " + skipped);
                }
                if (wanted.test(m)) {
                    return m;
                }
                skipped.add(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every message that arrives within {@code quiet}, for checking that nothing unwanted came. */
    public List<JsonNode> drain(Duration quiet) {
        List<JsonNode> got = new ArrayList<>();
        try {
            JsonNode m;
            while ((m = inbox.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                got.add(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return got;
    }

    public int awaitClose() {
        return closeCode.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** How many frames arrived so far, the welcome included. */
    public long received() {
        return frames.get();
    }

    /** Sends a request and returns everything that comes until its reply, the reply last. */
    public List<JsonNode> callCollecting(String type, Object... fields) {
        ObjectNode request = request(type, fields);
        send(request);
        String id = request.get("id").asText();
        List<JsonNode> got = new ArrayList<>();
        JsonNode m;
        do {
            m = next(x -> true);
            got.add(m);
        } while (!id.equals(m.path("id").asText()));
        return got;
    }

    /** Drops the TCP connection without a close handshake, as a crashed browser would. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final List<Object> early = new ArrayList<>();
        private WsClient owner;

        synchronized void attach(WsClient owner) {
            this.owner = owner;
            for (Object o : early) {
                deliver(o);
            }
            early.clear();
        }

        private synchronized void deliverOrKeep(Object o) {
            if (owner == null) {
                early.add(o);
            } else {
                deliver(o);
            }
        }

        private void deliver(Object o) {
            if (o instanceof Integer code) {
                owner.closeCode.complete(code);
            } else {
                try {
                    owner.frames.incrementAndGet();
                    owner.inbox.add(JSON.readTree((String) o));
                } catch (Exception e) {
                    throw new AssertionError("server sent invalid JSON: " + o, e);
                }
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                deliverOrKeep(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            deliverOrKeep(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            deliverOrKeep(1006);
        }
    }
}
