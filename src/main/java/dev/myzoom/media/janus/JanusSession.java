package dev.myzoom.media.janus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Janus session: what a participant's handles live in (the plan is one session per participant,
 * so that destroying it, or losing the socket, cleans up all of theirs at once). Its client keeps
 * it alive; it ends with {@link #destroy()}, a {@code timeout} event, or the socket's close.
 */
public final class JanusSession {
    private static final Logger log = LoggerFactory.getLogger(JanusSession.class);

    private final JanusClient client;
    private final long id;
    private final JanusListener listener;
    /** Each handle's listener, by handle id. */
    private final Map<Long, JanusListener> handleListeners = new ConcurrentHashMap<>();

    JanusSession(JanusClient client, long id, JanusListener listener) {
        this.client = client;
        this.id = id;
        this.listener = listener;
    }

    public long id() {
        return id;
    }

    public JanusClient client() {
        return client;
    }

    /**
     * Attaches a handle to {@code plugin}.
     *
     * @param listener gets the handle's events (plugin events, webrtcup, media, hangup, detached)
     */
    public CompletableFuture<JanusHandle> attach(String plugin, JanusListener listener) {
        ObjectNode attach = request("attach").put("plugin", plugin);
        return client.send(attach, false).thenApply(reply -> {
            long handleId = reply.path("data").path("id").asLong();
            if (handleId == 0) {
                throw new JanusException(JanusException.PROTOCOL, "attach answered without a handle id: " + reply);
            }
            // On the client's thread, before the handle's first event can be read.
            JanusHandle handle = new JanusHandle(this, handleId);
            handleListeners.put(handleId, listener);
            return handle;
        });
    }

    /** Attaches a handle to the VideoRoom plugin. */
    public CompletableFuture<JanusHandle> attachVideoRoom(JanusListener listener) {
        return attach(VideoRoom.PLUGIN, listener);
    }

    /** Resets Janus's session timer; the client does this by itself every keepalive interval. */
    public CompletableFuture<Void> keepalive() {
        return client.send(request("keepalive"), true).thenApply(reply -> null);
    }

    /** Destroys the session and its handles in Janus (publishers leave their rooms). */
    public CompletableFuture<Void> destroy() {
        client.forget(this);
        return client.send(request("destroy"), false).thenApply(reply -> null);
    }

    /** A request of this session, with its id and the API secret. */
    ObjectNode request(String verb) {
        return client.request(verb).put("session_id", id);
    }

    void forget(JanusHandle handle) {
        handleListeners.remove(handle.id());
    }

    /** On the client's thread: to the handle's listener, or the session's. */
    void deliver(JanusEvent event) {
        JanusListener target = event.handle() == 0 ? listener : handleListeners.getOrDefault(event.handle(), listener);
        if ("detached".equals(event.type())) {
            handleListeners.remove(event.handle());
        }
        try {
            target.onEvent(event);
        } catch (RuntimeException e) {
            // One listener's bug must not stop the events of every other session on this socket.
            log.warn("a Janus listener failed on a {} event of session {}", event.type(), id, e);
        }
    }
}
