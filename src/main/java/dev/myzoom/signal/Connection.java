package dev.myzoom.signal;

import dev.myzoom.protocol.CloseCodes;
import dev.myzoom.room.Room;
import io.javalin.websocket.WsContext;
import java.util.List;
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
 * One browser tab's participant on this node and its WebSocket: its rate limits, when it was last
 * heard from, which node holds its room, and how many bytes wait to be written to it. Jetty hands
 * one connection's frames to its handler one at a time, so the fields change on one thread; they
 * are volatile because others read them.
 *
 * <p>The participant can outlive its socket: when the socket drops, the connection is detached
 * (its frames are kept, not written), and a page that comes back with its resume token attaches
 * a new socket, which is sent what the page missed (see {@link Replay}). That socket may be on
 * another node (see {@link ResumeRelay}): the participant stays here, where its room, calls and
 * Janus session are, and its frames travel to the page's node as they are.
 */
final class Connection extends Client implements FanOut.Buffered {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private volatile WsContext ws;
    /** The page's socket when it is on another node (a resume landed there), else null. */
    private volatile Remote remote;
    /**
     * On the node a page resumed to: the node whose participant this socket carries. Every frame
     * the page sends goes there as it came (see {@link ResumeRelay}); null for a socket of our own.
     */
    volatile String proxyTo;
    /** Jetty's id of the socket now attached. */
    volatile String sessionId;
    /** The participant's resume token now (a new one after each resume); null once it can no longer resume. */
    volatile String resumeToken;
    final RateLimit rateLimit;
    /** Its requests in order, a join off the socket's thread. */
    final RequestLane lane;
    /** History and room-list requests: their replies are large, so they get a bucket of their own. */
    final RateLimit heavyLimit;
    /** Reactions: one a second, three at once, so that nobody can fill the others' screens. */
    final RateLimit reactionLimit = new RateLimit(1, 3, System.nanoTime());
    private final String address;
    volatile long lastSeen = System.nanoTime();
    /** The node that holds this connection's room when that is another node, else null. */
    volatile String home;
    /** The name of that room on another node (a local room is {@link #room}). */
    volatile String remoteRoom;
    /** This connection's side of the SFU, while it takes part there (see {@link MediaRequests}). */
    volatile dev.myzoom.media.sfu.SfuParticipant sfu;
    private final Traffic traffic;
    private final FanOut fanOut;
    // Jetty's own session under Javalin's, for sends that are buffered until a flush.
    private volatile CoreSession core;
    /** Bytes handed to Jetty and not yet written to the socket. */
    private final AtomicLong queued = new AtomicLong();
    private final long maxQueued;
    private final Executor closer;
    private final AtomicBoolean dropping = new AtomicBoolean();
    /** What was sent, for a page that resumes; guarded by itself, as is the order of writes. */
    private final Replay replay;
    /** No socket now: frames are kept for a resume, not written. */
    private boolean detached;
    /** The largest text frame this participant may send (see {@link #allowLargeFrames}), kept for a new socket. */
    private volatile long largeFrames;

    /**
     * @param maxQueued the most bytes that may wait for this client before it is dropped
     * @param closer where a client that cannot keep up is dropped (never the sending thread)
     */
    Connection(String pid, Replies replies, WsContext ws, String address, RateLimit rateLimit, RateLimit heavyLimit,
            Traffic traffic, FanOut fanOut, long maxQueued, Executor closer, RequestLane lane) {
        super(pid, replies);
        this.lane = lane;
        this.ws = ws;
        this.sessionId = ws.sessionId();
        // Kept for every connection, so small: 64 K characters, enough for what a page misses in
        // a few seconds of a busy room, and at most what it may have waiting anyway.
        this.replay = new Replay(Math.min(maxQueued, 64 * 1024));
        this.address = address;
        this.rateLimit = rateLimit;
        this.heavyLimit = heavyLimit;
        this.traffic = traffic;
        this.fanOut = fanOut;
        this.maxQueued = maxQueued;
        this.closer = closer;
        this.core = ws.session instanceof WebSocketSession jetty ? jetty.getCoreSession() : null;
    }

    /** A page's socket on another node, reached through the bus. */
    interface Remote {
        /** The node the socket is on. */
        String node();

        /** The socket's key there (the pid of the connection that carries it). */
        String key();

        void send(String frame);

        void close(int code, String reason);
    }

    @Override
    public void send(String frame) {
        synchronized (replay) {
            replay.record(frame);
            if (!detached) {
                Remote there = remote;
                if (there != null) {
                    there.send(frame);
                } else {
                    write(frame);
                }
            }
        }
    }

    private void write(String frame) {
        WsContext ws = this.ws;
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
        CoreSession core = this.core;
        if (core != null && fanOut.buffering()) {
            core.sendFrame(new Frame(OpCode.TEXT, frame),
                    org.eclipse.jetty.util.Callback.from(() -> queued.addAndGet(-bytes), failure -> written(ws, bytes, failure)),
                    true);
            fanOut.flushLater(this);
        } else {
            ws.session.sendText(frame, Callback.from(() -> queued.addAndGet(-bytes), failure -> written(ws, bytes, failure)));
        }
    }

    private void written(WsContext socket, long bytes, Throwable failure) {
        // A write that failed on a socket this participant has since left (a resume) says
        // nothing about the new one.
        if (socket == ws) {
            queued.addAndGet(-bytes);
            drop("cannot keep up (" + failure + ")");
        }
    }

    /** Writes out what {@link #send} buffered on the fan-out thread. */
    @Override
    public void flush() {
        if (remote != null) {
            return;
        }
        WsContext socket = ws;
        core.flush(org.eclipse.jetty.util.Callback.from(() -> { }, failure -> written(socket, 0, failure)));
    }

    // A client that reads too slowly would hold memory for ever; drop it, and its own reconnect
    // gives it a fresh start. The close frame would wait behind everything already queued, so the
    // socket is also cut at once (the client sees 1006) and what was queued is released. The
    // failure can be reported on this very thread, while a room is broadcasting under its lock,
    // and closing runs the close handler, which leaves the room: so it is done on the closer.
    private void drop(String why) {
        WsContext ws = this.ws;
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

    /** The room this connection is in, here or on another node; null if none. */
    String roomName() {
        Room local = room;
        if (local != null) {
            return local.name();
        }
        return home != null ? remoteRoom : null;
    }

    /**
     * Lets this one connection send frames up to {@code bytes}: an SFU subscription answer needs
     * more than MAX_FRAME_BYTES, and only the connections in the SFU get the room for it. The
     * endpoint still holds every other kind of message to MAX_FRAME_BYTES.
     */
    void allowLargeFrames(long bytes) {
        largeFrames = Math.max(largeFrames, bytes);
        if (remote == null && ws.session.getMaxTextMessageSize() < bytes) {
            ws.session.setMaxTextMessageSize(bytes);
        }
    }

    /** The socket attached now. */
    WsContext socket() {
        return ws;
    }

    /** The socket is gone: from now on frames are kept for a resume, not written. */
    void detach() {
        synchronized (replay) {
            detached = true;
            remote = null;
        }
    }

    /** The page's socket on another node, or null if it is here (or gone). */
    Remote remote() {
        return remote;
    }

    /** Whether it has no socket now and waits for a resume. */
    boolean detached() {
        synchronized (replay) {
            return detached;
        }
    }

    /** Whether the connection was dropped for reading too slowly (it must not resume: it would fall behind again). */
    boolean droppedAsSlow() {
        return dropping.get();
    }

    /**
     * Takes {@code socket} as this participant's socket and sends on it the frames after the
     * first {@code received}, in order; returns false (and changes nothing) if they are no longer
     * all kept. Whatever is sent after this goes to the new socket, after them.
     */
    boolean attach(WsContext socket, long received) {
        synchronized (replay) {
            List<String> missed = replay.after(received);
            if (missed == null) {
                return false;
            }
            ws = socket;
            remote = null;
            sessionId = socket.sessionId();
            core = socket.session instanceof WebSocketSession jetty ? jetty.getCoreSession() : null;
            queued.set(0);
            dropping.set(false);
            detached = false;
            if (largeFrames > 0) {
                socket.session.setMaxTextMessageSize(Math.max(socket.session.getMaxTextMessageSize(), largeFrames));
            }
            missed.forEach(this::write);
            return true;
        }
    }

    /** Like {@link #attach(WsContext, long)}, for a socket on another node. */
    boolean attach(Remote socket, long received) {
        synchronized (replay) {
            List<String> missed = replay.after(received);
            if (missed == null) {
                return false;
            }
            remote = socket;
            detached = false;
            missed.forEach(socket::send);
            return true;
        }
    }

    @Override
    String address() {
        return address;
    }

    void close(int code, String reason) {
        Remote there = remote;
        if (there != null) {
            there.close(code, reason);
        } else {
            ws.closeSession(code, reason);
        }
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
