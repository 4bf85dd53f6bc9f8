package dev.myzoom.signal;

import dev.myzoom.protocol.ClientMessage;
import dev.myzoom.protocol.CloseCodes;
import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.Refusal;
import dev.myzoom.protocol.ServerMessage;
import dev.myzoom.room.AttemptLimit;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Participants who outlive a dropped socket. When a socket in a room drops without a goodbye,
 * its participant stays in the room, calls and all, for the resume window; a page that comes
 * back with its token in that time takes its place again on the new socket, as the same pid, and
 * is sent what it missed. The others see nothing of it. Only when the window runs out does the
 * participant leave, as it would have at once before.
 */
final class Resumption {
    private static final Logger log = LoggerFactory.getLogger(Resumption.class);
    /**
     * Closes after which a page may come back: the socket was cut (1006, or 1005 with no code)
     * or the page gave up on its heartbeat (4000). A goodbye (1000, 1001), the server's own
     * closes (restart, too slow, silent) and a refused connection end the participant at once.
     */
    /** The status {@link #closed} is given when the server dropped the socket itself (silent too long). */
    static final int DROPPED_HERE = 0;
    private static final Set<Integer> CUT = Set.of(1005, 1006, CloseCodes.HEARTBEAT_TIMEOUT);

    private final Resumes tokens;
    private final String node;
    private final Connections connections;
    private final ConnectionLimits limits;
    private final Duration window;
    private final ScheduledExecutorService timer;
    private final Consumer<Connection> end;

    /** @param end what a participant's leaving does (the room, the SFU, the cluster) */
    Resumption(String node, Connections connections, ConnectionLimits limits, Duration window, ScheduledExecutorService timer,
            Consumer<Connection> end) {
        this.node = node;
        this.tokens = new Resumes(node);
        this.connections = connections;
        this.limits = limits;
        this.window = window;
        this.timer = timer;
        this.end = end;
    }

    /** The token for a new connection's welcome. */
    String issue(Connection c) {
        return tokens.issue(c);
    }

    /** A socket closed with {@code status}: its participant waits for a resume, or leaves now. */
    void closed(Connection c, int status) {
        String token = c.resumeToken;
        boolean waits = !window.isZero() && token != null && CUT.contains(status) && c.roomName() != null && !c.droppedAsSlow();
        if (!waits) {
            ended(c);
            return;
        }
        c.detach();
        log.info("{} lost its connection; it may resume for {} s", c.pid(), window.toSeconds());
        timer.schedule(() -> {
            // Still this token: nobody resumed meanwhile (a resume takes it and gives a new one).
            if (tokens.expire(token, c)) {
                log.info("{} did not resume", c.pid());
                ended(c);
            }
        }, window.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The server stops: whoever waits for a resume leaves now, so that the rooms and the meeting log are told. */
    void endAll() {
        tokens.waiting().forEach(c -> {
            String token = c.resumeToken;
            if (token != null && tokens.expire(token, c)) {
                ended(c);
            }
        });
    }

    /** The participant leaves for good: its token dies. */
    void ended(Connection c) {
        tokens.revoke(c);
        connections.forget(c);
        end.accept(c);
    }

    /** Whether {@code token} was given out here (else its participant is on another node). */
    boolean isLocal(String token) {
        return tokens.nodeOf(token).equals(node);
    }

    /** The node that gave out {@code token}. */
    String nodeOf(String token) {
        return tokens.nodeOf(token);
    }

    /** {@code c}'s own token no longer works (its socket now carries a participant of another node). */
    void revoke(Connection c) {
        tokens.revoke(c);
    }

    /**
     * {@code fresh}, a new connection, asks to be the participant its token was given to. That
     * participant takes the new socket (its old one, if the server has not noticed yet that it
     * is dead, is closed), is sent the frames after the page's {@code received}, and then this
     * ack with a new token. {@code fresh} itself is forgotten.
     */
    void resume(WsContext socket, Connection fresh, ClientMessage.Resume request) {
        if (fresh.roomName() != null) {
            throw new Refusal(ErrorCode.RESUME_FAILED, "resume comes first on a new connection, before any join");
        }
        Connection old = takeOff(request.token(), c -> c.attach(socket, request.received()));
        tokens.revoke(fresh);
        connections.forget(fresh);
        connections.attach(socket.sessionId(), old);
        log.info("{} resumed (was {} s away at most)", old.pid(), window.toSeconds());
        old.reply(new ServerMessage.ResumeAck(request.id(), old.pid(), tokens.issue(old)));
    }

    /**
     * Like {@link #resume}, for a page that came back to another node: the participant stays
     * here and takes that node's socket, {@code socket}.
     */
    void resume(Connection.Remote socket, String token, long received, String id) {
        Connection old = takeOff(token, c -> c.attach(socket, received));
        connections.attachRemote(socket, old);
        log.info("{} resumed through node {} (was {} s away at most)", old.pid(), socket.node(), window.toSeconds());
        old.reply(new ServerMessage.ResumeAck(id, old.pid(), tokens.issue(old)));
    }

    /**
     * The participant {@code token} was given to, moved off the socket it had (closed, if it is
     * still open, here or on another node) onto the one {@code attach} gives it.
     */
    private Connection takeOff(String token, java.util.function.Predicate<Connection> attach) {
        Connection old = tokens.take(token);
        if (old == null) {
            throw new Refusal(ErrorCode.RESUME_FAILED, "this resume token is unknown, used or expired; join again");
        }
        String oldSession = old.sessionId;
        WsContext oldSocket = old.socket();
        Connection.Remote oldRemote = old.remote();
        boolean stillOpen = oldRemote == null && connections.detach(oldSession) != null;
        if (stillOpen) {
            limits.closed(AttemptLimit.addressKey(old.address()));
        }
        if (oldRemote != null) {
            // Its socket on that node is told to close; when it says it closed, nobody answers here.
            connections.detachRemote(oldRemote.node(), oldRemote.key());
            oldRemote.close(CloseCodes.RESUMED, "resumed on another connection");
        }
        old.detach();
        if (!attach.test(old)) {
            ended(old);
            if (stillOpen) {
                oldSocket.closeSession(CloseCodes.RESUMED, "resumed on another connection");
            }
            throw new Refusal(ErrorCode.RESUME_FAILED, "too much was missed to resume; join again");
        }
        if (stillOpen) {
            // Its close handler finds nothing under its session any more, so it leaves nothing.
            oldSocket.closeSession(CloseCodes.RESUMED, "resumed on another connection");
        }
        return old;
    }
}
