package dev.myzoom.signal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.cluster.Bus;
import dev.myzoom.concurrency.DaemonThreads;
import dev.myzoom.media.CallPlan;
import dev.myzoom.protocol.ClientMessage;
import dev.myzoom.protocol.CloseCodes;
import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.MessageCodec;
import dev.myzoom.protocol.RandomIds;
import dev.myzoom.protocol.Refusal;
import dev.myzoom.protocol.ServerMessage;
import dev.myzoom.room.AttemptLimit;
import dev.myzoom.room.Names;
import dev.myzoom.room.RoomList;
import dev.myzoom.room.Rooms;
import dev.myzoom.store.ChatHistory;
import dev.myzoom.store.StoreQueue;
import dev.myzoom.web.ClientAddress;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /ws} endpoint: one connection per browser tab, JSON requests in, acks, errors and
 * events out (docs/protocol.md). This class is the sockets' life: open (limits, welcome), each
 * frame (rate limit, decode, costs), closed, silent, errors. What a request does is
 * {@link Requests}; whether it is done here or on the room's node is {@link ClusterRelay}.
 */
public final class SignalEndpoint {
    private static final Logger log = LoggerFactory.getLogger(SignalEndpoint.class);

    /** What the endpoint needs to know from the configuration. */
    /**
     * @param resumeWindow how long a participant whose socket was cut waits for its page to resume (0: not at all)
     * @param takeoverWait how long a request for a room whose node stopped answering waits for another node to take the room over
     */
    public record Settings(ServerMessage.Limits limits, int ratePerSecond, int rateBurst, Duration idleTimeout,
            int chatHistory, long maxQueuedBytes, Duration resumeWindow, Duration takeoverWait) {}

    /** The most a client may put in a signal's data or a join's offer: an SDP with every candidate fits. */
    static final int MAX_SDP_CHARS = 16 * 1024;
    /** History and room-list requests per second (and at once) for one connection. */
    private static final int HEAVY_PER_SECOND = 2;
    private static final int HEAVY_BURST = 6;
    /** The messages that may exceed MAX_FRAME_BYTES: the SFU's SDP, on a connection in the SFU. */
    private static final java.util.Set<String> LARGE_TYPES = java.util.Set.of("subscriptionAnswer", "publish");

    private final Connections connections = new Connections();
    private final MessageCodec codec;
    private final CallPlan plan;
    private final Settings settings;
    private final Traffic traffic;
    private final FanOut fanOut;
    private final ClientAddress addresses;
    private final ConnectionLimits limits;
    private final Replies replies;
    private final Requests requests;
    private final ClusterRelay relay;
    private final MediaRequests media;
    private final RoomList roomList;
    private final Resumption resumption;
    private final ResumeRelay resumeRelay;
    // Drops clients that cannot keep up, away from the thread that found out (see Connection).
    private final ExecutorService closer = Executors.newSingleThreadExecutor(DaemonThreads.named("ws-closer"));
    // Joins, which may wait on Redis or a password check, and what follows them (see RequestLane):
    // virtual threads on Java 21 and newer, else a pool of 64 (password checks refuse beyond 16
    // waiting, so a password flood can hold at most 17 of them and other joins go on).
    private final ExecutorService joinWorkers = DaemonThreads.virtualOr("join", 64);

    /**
     * @param fanOut the thread that store's results run on (see {@link FanOut})
     * @param addresses who a connection really comes from (behind a trusted proxy)
     */
    public SignalEndpoint(MessageCodec codec, Rooms rooms, RoomList roomList, Names names, CallPlan plan,
            ChatHistory history, StoreQueue store, Settings settings, Bus bus, Traffic traffic, FanOut fanOut,
            ClientAddress addresses, ConnectionLimits limits, MediaRequests.Sfu sfu, ScheduledExecutorService timer) {
        this.codec = codec;
        this.plan = plan;
        this.settings = settings;
        this.traffic = traffic;
        this.fanOut = fanOut;
        this.addresses = addresses;
        this.limits = limits;
        this.roomList = roomList;
        this.replies = new Replies(codec, traffic, bus.node());
        this.media = new MediaRequests(sfu);
        this.requests = new Requests(rooms, roomList, names, plan, history, store, settings.chatHistory(), bus, media);
        this.relay = new ClusterRelay(bus, codec, names, requests, connections, roomList, replies, fanOut, media, timer,
                settings.takeoverWait(), (c, frame) -> {
                    ClientMessage message = codec.decode(frame);
                    carryOut(c, message, message.id(), frame);
                }, joinWorkers);
        this.resumption = new Resumption(bus.node(), connections, limits, settings.resumeWindow(), timer, this::left);
        this.resumeRelay = new ResumeRelay(bus, connections, resumption, (c, frame) -> received(c, null, frame));
    }

    public void configure(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(ctx -> received(ctx, ctx.message()));
        ws.onBinaryMessage(ctx -> binary(connections.bySession(ctx.sessionId())));
        ws.onClose(ctx -> closed(ctx.sessionId(), ctx.status()));
        ws.onError(ctx -> socketError(ctx.sessionId(), ctx.error()));
    }

    public int connectionCount() {
        return connections.size();
    }

    /** Participants here (their page may be cut, or on another node) that publish their camera to the SFU now. */
    public long sfuPublishers() {
        return connections.participants().stream().filter(c -> c.sfu != null && c.sfu.publishing()).count();
    }

    /** This node's streams on each Janus instance now, for placement by load. */
    public java.util.Map<String, Integer> sfuStreams() {
        java.util.Map<String, Integer> streams = new java.util.HashMap<>();
        for (Connection c : connections.participants()) {
            dev.myzoom.media.sfu.SfuParticipant sfu = c.sfu;
            if (sfu != null) {
                sfu.instance().ifPresent(instance -> streams.merge(instance, sfu.streams(), Integer::sum));
            }
        }
        return streams;
    }

    /** Participants here (their page may be cut, or on another node) that receive the others through the SFU now. */
    public long sfuSubscribers() {
        return connections.participants().stream().filter(c -> c.sfu != null && c.sfu.subscribing()).count();
    }

    /** Closes every connection, e.g. with 1012 (service restart) so that clients come back at once. */
    public void closeAll(int code, String reason) {
        resumption.endAll();
        connections.all().forEach(c -> c.close(code, reason));
        // Participants here whose pages resumed on another node: those pages are told too.
        connections.participants().stream().filter(c -> c.remote() != null).forEach(c -> c.close(code, reason));
        // The close frames are only queued: a server that stopped now would cut them off, and the
        // pages would see 1006 instead of being told to come back. Wait (briefly) for the answers.
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (connections.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** How long a stopping server waits for its pages to answer their close frames. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /**
     * Drops connections that have sent nothing, not even their heartbeat ping, for the idle
     * timeout. A dead peer never answers a close handshake, so the room is told at once rather
     * than when TCP finally gives up.
     */
    public void dropSilentConnections() {
        long now = System.nanoTime();
        connections.sessions().forEach((sessionId, c) -> {
            if (now - c.lastSeen > settings.idleTimeout().toNanos()) {
                log.info("dropping {}: silent for more than {}", c.pid(), settings.idleTimeout());
                closed(sessionId, Resumption.DROPPED_HERE);
                c.close(CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat timeout");
            }
        });
    }

    private void connected(WsContext ctx) {
        String address = addresses.of(peerOf(ctx), ctx.header("X-Forwarded-For"));
        String refused = limits.open(AttemptLimit.addressKey(address));
        if (refused != null) {
            log.info("refusing a connection from {}: {}", address, refused);
            ctx.closeSession(CloseCodes.TRY_AGAIN_LATER, refused);
            return;
        }
        long now = System.nanoTime();
        Connection connection = new Connection(RandomIds.hex(8), replies, ctx, address,
                new RateLimit(settings.ratePerSecond(), settings.rateBurst(), now),
                new RateLimit(HEAVY_PER_SECOND, HEAVY_BURST, now), traffic, fanOut, settings.maxQueuedBytes(), closer,
                new RequestLane(joinWorkers));
        connections.add(ctx.sessionId(), connection);
        connection.reply(new ServerMessage.Welcome(connection.pid(), resumption.issue(connection),
                settings.limits().withMaxParticipants(plan.capacity()),
                plan.beforeJoining().withMode(null, plan.sfuAvailable())));
    }

    private static String peerOf(WsContext ctx) {
        return ctx.session.getRemoteSocketAddress() instanceof java.net.InetSocketAddress a
                ? a.getAddress().getHostAddress() : String.valueOf(ctx.session.getRemoteSocketAddress());
    }

    private void received(WsContext ctx, String frame) {
        Connection connection = connections.bySession(ctx.sessionId());
        if (connection != null) {
            received(connection, ctx, frame);
        }
    }

    /**
     * A frame from {@code connection}'s page: through {@code ctx} here, or (null) through a socket
     * on another node that the page resumed to (see {@link ResumeRelay}).
     */
    private void received(Connection connection, WsContext ctx, String frame) {
        connection.lastSeen = System.nanoTime();
        String id = null;
        try {
            // Refused before it is parsed: a flood must cost as little as possible.
            if (!connection.rateLimit.tryTake(System.nanoTime())) {
                throw new Refusal(ErrorCode.RATE_LIMITED, "too many messages; slow down");
            }
            // Frames past MAX_FRAME_BYTES reach here only on a connection in the SFU (see
            // Connection.allowLargeFrames), and only an SFU answer may be that large.
            if (frame.length() > settings.limits().maxFrameBytes() && !LARGE_TYPES.contains(codec.typeOf(frame))) {
                connection.close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
                return;
            }
            String proxyTo = connection.proxyTo;
            if (proxyTo != null) {
                // This socket carries a participant of another node: that node does the rest.
                resumeRelay.relay(connection, proxyTo, frame);
                return;
            }
            ClientMessage message = codec.decode(frame);
            id = message.id();
            traffic.received(MessageCodec.typeOf(message));
            checkCost(connection, message, frame);
            if (message instanceof ClientMessage.Resume resume) {
                if (ctx == null) {
                    throw new Refusal(ErrorCode.RESUME_FAILED, "resume comes first on a new connection, before any join");
                } else if (resumption.isLocal(resume.token())) {
                    resumption.resume(ctx, connection, resume);
                } else {
                    resumeRelay.resumeThere(connection, resume);
                }
                return;
            }
            if (message instanceof ClientMessage.Join join) {
                connection.media = join.media();
            } else if (message instanceof ClientMessage.Media m) {
                connection.media = new ServerMessage.MediaState(m.audio(), m.video(), m.screen());
            }
            String requestId = id;
            connection.lane.run(() -> carryOut(connection, message, requestId, frame), message instanceof ClientMessage.Join);
        } catch (Refusal refusal) {
            refuse(connection, id, frame, refusal);
        } catch (RuntimeException e) {
            failed(connection, id, frame, e);
        }
    }

    /** Does what the request asks, here or on the node that holds its room, and answers its failure. */
    private void carryOut(Connection connection, ClientMessage message, String id, String frame) {
        try {
            String home = relay.homeFor(connection, message);
            if (home != null) {
                relay.forward(connection, home, id, frame);
            } else {
                requests.handle(connection, message);
            }
        } catch (Bus.Unavailable e) {
            connection.reply(ClusterRelay.unavailable(id));
        } catch (Refusal refusal) {
            refuse(connection, id, frame, refusal);
        } catch (RuntimeException e) {
            failed(connection, id, frame, e);
        }
    }

    private void refuse(Connection connection, String id, String frame, Refusal refusal) {
        connection.reply(new ServerMessage.Error(id != null ? id : codec.idOf(frame), refusal.code().wire(), refusal.getMessage()));
    }

    // A bug in one request must not take down the connection, let alone anyone else's.
    private void failed(Connection connection, String id, String frame, RuntimeException e) {
        log.error("failed to handle a message from {}", connection.pid(), e);
        connection.reply(new ServerMessage.Error(id != null ? id : codec.idOf(frame), ErrorCode.INTERNAL.wire(),
                "internal error; the request was not carried out"));
    }

    /**
     * Limits that depend on what the request is: large replies (history, the room list) have a
     * rate of their own, and SDP-carrying requests a size cap, since whatever they carry is sent
     * on to someone else and waits in their queue.
     */
    private static void checkCost(Connection c, ClientMessage message, String frame) {
        boolean heavy = message instanceof ClientMessage.HistoryRequest || message instanceof ClientMessage.WatchRooms;
        if (heavy && !c.heavyLimit.tryTake(System.nanoTime())) {
            throw new Refusal(ErrorCode.RATE_LIMITED, "too many history or room-list requests; slow down");
        }
        if (message instanceof ClientMessage.React && !c.reactionLimit.tryTake(System.nanoTime())) {
            throw new Refusal(ErrorCode.RATE_LIMITED, "at most one reaction a second");
        }
        if (frame.length() > MAX_SDP_CHARS) {
            JsonNode payload = message instanceof ClientMessage.Signal signal ? signal.data()
                    : message instanceof ClientMessage.Join join ? join.offer() : null;
            if (payload != null && payload.toString().length() > MAX_SDP_CHARS) {
                throw new Refusal(ErrorCode.TOO_LARGE, "signaling data is limited to " + MAX_SDP_CHARS + " characters");
            }
            if (frame.length() > MediaRequests.MAX_SFU_SDP_CHARS) {
                throw new Refusal(ErrorCode.TOO_LARGE, "an SFU description is limited to " + MediaRequests.MAX_SFU_SDP_CHARS + " characters");
            }
        }
    }

    /** Binary frames are not part of the protocol; they cost the sender's rate limit all the same. */
    private void binary(Connection connection) {
        if (connection == null) {
            return;
        }
        connection.lastSeen = System.nanoTime();
        boolean allowed = connection.rateLimit.tryTake(System.nanoTime());
        connection.reply(allowed
                ? new ServerMessage.Error(null, ErrorCode.BAD_JSON.wire(), "binary frames are not part of the protocol")
                : new ServerMessage.Error(null, ErrorCode.RATE_LIMITED.wire(), "too many messages; slow down"));
    }

    /** A socket closed with {@code status}: its participant leaves, or waits for its page to resume. */
    private void closed(String sessionId, int status) {
        Connection connection = connections.detach(sessionId);
        if (connection != null) {
            limits.closed(AttemptLimit.addressKey(connection.address()));
            resumeRelay.closed(connection, status);
            // After whatever it asked for: a join still under way seats it first, then it leaves.
            // Always on a worker: Jetty can call this inside a send on another connection, whose
            // lock that thread holds while a room it leaves below may be broadcasting to it.
            connection.lane.run(() -> resumption.closed(connection, status), true);
        }
    }

    /** The participant is gone for good. */
    private void left(Connection connection) {
        roomList.unwatch(connection);
        requests.leave(connection, "disconnected");
        media.end(connection);
        relay.disconnected(connection);
    }

    // An Error (out of memory, stack overflow) in a handler is the server's trouble, not the
    // client's: it must show in the log whatever the level. A handler's exception is a bug.
    private void socketError(String sessionId, Throwable error) {
        Connection c = connections.bySession(sessionId);
        String who = c == null ? sessionId : c.pid();
        if (error instanceof Error) {
            log.error("error on the socket of {}", who, error);
        } else if (error instanceof java.io.IOException || error instanceof java.util.concurrent.TimeoutException) {
            log.debug("socket error on {}: {}", who, String.valueOf(error));
        } else {
            log.warn("socket error on {}: {}", who, String.valueOf(error));
        }
    }
}
