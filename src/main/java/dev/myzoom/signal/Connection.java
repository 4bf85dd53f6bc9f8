package dev.myzoom.signal;

import dev.myzoom.protocol.CloseCodes;
import dev.myzoom.room.Room;
import io.javalin.websocket.WsContext;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser tab's WebSocket on this node: its rate limits, when it was last heard from, which
 * node holds its room, and how many bytes wait to be written to it. Jetty hands one connection's
 * frames to its handler one at a time, so the fields change on one thread; they are volatile
 * because others read them.
 */
final class Connection extends Client implements FanOut.Buffered {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final WsContext ws;
    final RateLimit rateLimit;
    /** History and room-list requests: their replies are large, so they get a bucket of their own. */
    final RateLimit heavyLimit;
    private final String address;
    volatile long lastSeen = System.nanoTime();
    /** The node that holds this connection's room when that is another node, else null. */
    volatile String home;
    private final Traffic traffic;
    private final FanOut fanOut;
    // Jetty's own session under Javalin's, for sends that are buffered until a flush.
    private final CoreSession core;
    /** Bytes handed to Jetty and not yet written to the socket. */
    private final AtomicLong queued = new AtomicLong();
    private final long maxQueued;
    private final Executor closer;
    private final AtomicBoolean dropping = new AtomicBoolean();

    /**
     * @param maxQueued the most bytes that may wait for this client before it is dropped
     * @param closer where a client that cannot keep up is dropped (never the sending thread)
     */
    Connection(String pid, Replies replies, WsContext ws, String address, RateLimit rateLimit, RateLimit heavyLimit,
            Traffic traffic, FanOut fanOut, long maxQueued, Executor closer) {
        super(pid, replies);
        this.ws = ws;
        this.address = address;
        this.rateLimit = rateLimit;
        this.heavyLimit = heavyLimit;
        this.traffic = traffic;
        this.fanOut = fanOut;
        this.maxQueued = maxQueued;
        this.closer = closer;
        this.core = ws.session instanceof WebSocketSession jetty ? jetty.getCoreSession() : null;
    }

    @Override
    public void send(String frame) {
        if (!ws.session.isOpen() || dropping.get()) {
            return;
        }
        long bytes = utf8Length(frame);
        // Jetty would queue without end for a client that stopped reading; count the bytes and
        // drop the client past its budget, which frees everything queued for it at once.
        if (queued.addAndGet(bytes) > maxQueued) {
            queued.addAndGet(-bytes);
            drop("more than " + maxQueued + " bytes waiting");
            return;
        }
        traffic.sent(frame);
        if (core != null && fanOut.buffering()) {
            core.sendFrame(new Frame(OpCode.TEXT, frame),
                    org.eclipse.jetty.util.Callback.from(() -> queued.addAndGet(-bytes), failure -> written(bytes, failure)),
                    true);
            fanOut.flushLater(this);
        } else {
            ws.session.sendText(frame, Callback.from(() -> queued.addAndGet(-bytes), failure -> written(bytes, failure)));
        }
    }

    private void written(long bytes, Throwable failure) {
        queued.addAndGet(-bytes);
        drop("cannot keep up (" + failure + ")");
    }

    /** Writes out what {@link #send} buffered on the fan-out thread. */
    @Override
    public void flush() {
        core.flush(org.eclipse.jetty.util.Callback.from(() -> { }, failure -> drop("cannot keep up (" + failure + ")")));
    }

    // A client that reads too slowly would hold memory for ever; drop it, and its own reconnect
    // gives it a fresh start. The close frame would wait behind everything already queued, so the
    // socket is also cut at once (the client sees 1006) and what was queued is released. The
    // failure can be reported on this very thread, while a room is broadcasting under its lock,
    // and closing runs the close handler, which leaves the room: so it is done on the closer.
    private void drop(String why) {
        if (ws.session.isOpen() && dropping.compareAndSet(false, true)) {
            log.info("closing {}: {}", pid(), why);
            closer.execute(() -> {
                ws.closeSession(CloseCodes.TOO_SLOW, "too slow");
                ws.session.disconnect();
            });
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
        return address;
    }

    void close(int code, String reason) {
        ws.closeSession(code, reason);
    }

    static long utf8Length(String s) {
        long n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                // Two bytes up to U+07FF, three above; a surrogate pair's two chars make four.
                n += c < 0x800 ? 1 : Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return n;
    }
}
