package dev.myzoom.signal;

import dev.myzoom.room.Room;
import io.javalin.websocket.WsContext;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser tab's WebSocket on this node: its rate limit, when it was last heard from, and which
 * node holds its room. Jetty hands one connection's frames to its handler one at a time, so the
 * fields change on one thread; they are volatile because others read them.
 */
final class Connection extends Client implements FanOut.Buffered {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final WsContext ws;
    final RateLimit rateLimit;
    volatile long lastSeen = System.nanoTime();
    /** The node that holds this connection's room when that is another node, else null. */
    volatile String home;
    private final Traffic traffic;
    private final FanOut fanOut;
    // Jetty's own session under Javalin's, for sends that are buffered until a flush.
    private final CoreSession core;

    Connection(String pid, WsContext ws, RateLimit rateLimit, Traffic traffic, FanOut fanOut) {
        super(pid);
        this.ws = ws;
        this.rateLimit = rateLimit;
        this.traffic = traffic;
        this.fanOut = fanOut;
        this.core = ws.session instanceof WebSocketSession jetty ? jetty.getCoreSession() : null;
    }

    @Override
    public void send(String frame) {
        if (!ws.session.isOpen()) {
            return;
        }
        traffic.sent(frame);
        if (core != null && fanOut.buffering()) {
            core.sendFrame(new Frame(OpCode.TEXT, frame), org.eclipse.jetty.util.Callback.from(() -> { }, this::cannotKeepUp),
                    true);
            fanOut.flushLater(this);
        } else {
            ws.session.sendText(frame, Callback.from(() -> { }, this::cannotKeepUp));
        }
    }

    /** Writes out what {@link #send} buffered on the fan-out thread. */
    @Override
    public void flush() {
        core.flush(org.eclipse.jetty.util.Callback.from(() -> { }, this::cannotKeepUp));
    }

    // A client that reads too slowly fills Jetty's bounded outgoing queue; rather than let it hold
    // memory for ever, close it, and its own reconnect gives it a fresh start. The failure can be
    // reported on this very thread, while a room is broadcasting under its lock, and closing runs
    // the close handler, which leaves the room: so close elsewhere.
    private void cannotKeepUp(Throwable failure) {
        if (ws.session.isOpen()) {
            log.info("closing {}: cannot keep up ({})", pid(), failure.toString());
            CompletableFuture.runAsync(() -> ws.closeSession(1008, "too slow"));
        }
    }

    @Override
    public void evicted(Room from) {
        if (room == from) {
            room = null;
        }
    }

    @Override
    String address() {
        return ws.session.getRemoteSocketAddress() instanceof java.net.InetSocketAddress a
                ? a.getAddress().getHostAddress() : String.valueOf(ws.session.getRemoteSocketAddress());
    }

    void close(int code, String reason) {
        ws.closeSession(code, reason);
    }
}
