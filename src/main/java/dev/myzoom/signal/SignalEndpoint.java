package dev.myzoom.signal;

import dev.myzoom.protocol.RandomIds;
import dev.myzoom.concurrency.DaemonThreads;
import dev.myzoom.protocol.ClientMessage;
import dev.myzoom.protocol.CloseCodes;
import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.MessageCodec;
import dev.myzoom.protocol.Refusal;
import dev.myzoom.protocol.ServerMessage;
import dev.myzoom.cluster.Bus;
import dev.myzoom.cluster.NodeMessage;
import dev.myzoom.media.IceServers;
import dev.myzoom.room.AttemptLimit;
import dev.myzoom.room.Names;
import dev.myzoom.room.Room;
import dev.myzoom.room.RoomList;
import dev.myzoom.room.Rooms;
import dev.myzoom.store.ChatHistory;
import dev.myzoom.store.StoreQueue;
import dev.myzoom.web.ClientAddress;
import io.javalin.websocket.WsConfig;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /ws} endpoint: one connection per browser tab, JSON requests in, acks, errors and
 * events out. See docs/protocol.md for every message.
 *
 * <p>In a cluster, a room lives on one node, its home. A request about a room that lives on another
 * node is forwarded there as it came, and carried out there for a {@link RemoteClient}; what the
 * room sends back comes through this node. See docs/deploy.md.
 */
public final class SignalEndpoint implements Bus.Listener {
    private static final Logger log = LoggerFactory.getLogger(SignalEndpoint.class);
    private static final Logger events = LoggerFactory.getLogger("dev.myzoom.events");

    /** What the endpoint needs to know from the configuration. */
    public record Settings(ServerMessage.Limits limits, int ratePerSecond, int rateBurst, Duration idleTimeout,
            int chatHistory, long maxQueuedBytes) {}

    private static final int MAX_PASSWORD = 128;
    /** The most a client may put in a signal's data or a join's offer: an SDP with every candidate fits. */
    static final int MAX_SDP_CHARS = 16 * 1024;
    /** History replies stop adding lines here (2000 emoji make one line 8 KB); the client pages on. */
    static final int MAX_HISTORY_REPLY_BYTES = 256 * 1024;
    /** History and room-list requests per second (and at once) for one connection. */
    private static final int HEAVY_PER_SECOND = 2;
    private static final int HEAVY_BURST = 6;

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, Connection> byPid = new ConcurrentHashMap<>();
    private final Map<String, RemoteClient> remotes = new ConcurrentHashMap<>();
    /** By node: what rooms here send to people connected there. */
    private final Map<String, NodeOutbox> outboxes = new ConcurrentHashMap<>();
    private final MessageCodec codec;
    private final Rooms rooms;
    private final RoomList roomList;
    private final Names names;
    private final IceServers iceServers;
    private final ChatHistory history;
    private final StoreQueue store;
    private final StoreQueue.Batched<ChatHistory.NewLine, Long> chatLines;
    private final Settings settings;
    private final Bus bus;
    private final Traffic traffic;
    private final FanOut fanOut;
    // Drops clients that cannot keep up, away from the thread that found out (see Connection).
    private final ExecutorService closer = Executors.newSingleThreadExecutor(DaemonThreads.named("ws-closer"));

    private final ClientAddress addresses;
    private final ConnectionLimits limits;

    /**
     * @param fanOut the thread that store's results run on (see {@link FanOut})
     * @param addresses who a connection really comes from (behind a trusted proxy)
     */
    public SignalEndpoint(MessageCodec codec, Rooms rooms, RoomList roomList, Names names, IceServers iceServers,
            ChatHistory history, StoreQueue store, Settings settings, Bus bus, Traffic traffic, FanOut fanOut,
            ClientAddress addresses, ConnectionLimits limits) {
        this.addresses = addresses;
        this.limits = limits;
        this.codec = codec;
        this.rooms = rooms;
        this.roomList = roomList;
        this.names = names;
        this.iceServers = iceServers;
        this.history = history;
        this.chatLines = store.batched("store-chat-writer", history::appendAll);
        this.store = store;
        this.settings = settings;
        this.bus = bus;
        this.traffic = traffic;
        this.fanOut = fanOut;
        bus.listen(this);
    }

    public void configure(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(ctx -> received(ctx, ctx.message()));
        ws.onBinaryMessage(ctx -> binary(connections.get(ctx.sessionId())));
        ws.onClose(ctx -> closed(ctx.sessionId()));
        ws.onError(ctx -> socketError(ctx.sessionId(), ctx.error()));
    }

    // An Error (out of memory, stack overflow) in a handler is the server's trouble, not the
    // client's: it must show in the log whatever the level. A handler's exception is a bug.
    private void socketError(String sessionId, Throwable error) {
        Connection c = connections.get(sessionId);
        String who = c == null ? sessionId : c.pid();
        if (error instanceof Error) {
            log.error("error on the socket of {}", who, error);
        } else if (error instanceof java.io.IOException || error instanceof java.nio.channels.ClosedChannelException
                || error instanceof java.util.concurrent.TimeoutException) {
            log.debug("socket error on {}: {}", who, String.valueOf(error));
        } else {
            log.warn("socket error on {}: {}", who, String.valueOf(error));
        }
    }

    /** Binary frames are not part of the protocol; they cost the sender's rate limit all the same. */
    private void binary(Connection connection) {
        if (connection == null) {
            return;
        }
        connection.lastSeen = System.nanoTime();
        boolean allowed = connection.rateLimit.tryTake(System.nanoTime());
        reply(connection, allowed
                ? new ServerMessage.Error(null, ErrorCode.BAD_JSON.wire(), "binary frames are not part of the protocol")
                : new ServerMessage.Error(null, ErrorCode.RATE_LIMITED.wire(), "too many messages; slow down"));
    }

    public int connectionCount() {
        return connections.size();
    }

    /** Closes every connection, e.g. with 1012 (service restart) so that clients come back at once. */
    public void closeAll(int code, String reason) {
        connections.values().forEach(c -> c.close(code, reason));
    }

    /**
     * Drops connections that have sent nothing, not even their heartbeat ping, for the idle
     * timeout. A dead peer never answers a close handshake, so the room is told at once rather
     * than when TCP finally gives up.
     */
    public void dropSilentConnections() {
        long now = System.nanoTime();
        connections.forEach((sessionId, c) -> {
            if (now - c.lastSeen > settings.idleTimeout().toNanos()) {
                log.info("dropping {}: silent for more than {}", c.pid(), settings.idleTimeout());
                closed(sessionId);
                c.close(CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat timeout");
            }
        });
    }

    private void connected(WsContext ctx) {
        String pid = RandomIds.hex(8);
        String address = addresses.of(peerOf(ctx), ctx.header("X-Forwarded-For"));
        String refused = limits.open(AttemptLimit.addressKey(address));
        if (refused != null) {
            log.info("refusing a connection from {}: {}", address, refused);
            ctx.closeSession(CloseCodes.TRY_AGAIN_LATER, refused);
            return;
        }
        long now = System.nanoTime();
        Connection connection = new Connection(pid, ctx, address,
                new RateLimit(settings.ratePerSecond(), settings.rateBurst(), now),
                new RateLimit(HEAVY_PER_SECOND, HEAVY_BURST, now), traffic, fanOut, settings.maxQueuedBytes(), closer);
        connections.put(ctx.sessionId(), connection);
        byPid.put(pid, connection);
        reply(connection, new ServerMessage.Welcome(pid, settings.limits(), iceServers.beforeJoining()));
    }

    private static String peerOf(WsContext ctx) {
        return ctx.session.getRemoteSocketAddress() instanceof java.net.InetSocketAddress a
                ? a.getAddress().getHostAddress() : String.valueOf(ctx.session.getRemoteSocketAddress());
    }


    private void received(WsContext ctx, String frame) {
        Connection connection = connections.get(ctx.sessionId());
        if (connection == null) {
            return;
        }
        connection.lastSeen = System.nanoTime();
        String id = null;
        try {
            // Refused before it is parsed: a flood must cost as little as possible.
            if (!connection.rateLimit.tryTake(System.nanoTime())) {
                throw new Refusal(ErrorCode.RATE_LIMITED, "too many messages; slow down");
            }
            ClientMessage message = codec.decode(frame);
            id = message.id();
            traffic.received(MessageCodec.typeOf(message));
            checkCost(connection, message, frame);
            String home = homeFor(connection, message);
            if (home != null) {
                String requestId = id;
                bus.send(home, new NodeMessage.Forward(bus.node(), connection.pid(), connection.address(), frame))
                        .thenAccept(delivered -> {
                            if (!delivered) {
                                reply(connection, unavailable(requestId));
                            }
                        });
                return;
            }
            ServerMessage reply = handle(connection, message);
            if (reply != null) {
                reply(connection, reply);
            }
        } catch (Bus.Unavailable e) {
            reply(connection, unavailable(id));
        } catch (Refusal refusal) {
            reply(connection, new ServerMessage.Error(id != null ? id : codec.idOf(frame),
                    refusal.code().wire(), refusal.getMessage()));
        } catch (RuntimeException e) {
            // A bug in one request must not take down the connection, let alone anyone else's.
            log.error("failed to handle a message from {}", connection.pid(), e);
            reply(connection, new ServerMessage.Error(id != null ? id : codec.idOf(frame),
                    ErrorCode.INTERNAL.wire(), "internal error; the request was not carried out"));
        }
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
        if (frame.length() > MAX_SDP_CHARS) {
            JsonNode payload = message instanceof ClientMessage.Signal signal ? signal.data()
                    : message instanceof ClientMessage.Join join ? join.offer() : null;
            if (payload != null && payload.toString().length() > MAX_SDP_CHARS) {
                throw new Refusal(ErrorCode.TOO_LARGE, "signaling data is limited to " + MAX_SDP_CHARS + " characters");
            }
        }
    }

    /**
     * The other node that must carry out this request, or null if this node does: a request about
     * the room goes to the room's home, and so does a join of a room that lives elsewhere.
     */
    private String homeFor(Connection c, ClientMessage message) {
        if (message instanceof ClientMessage.Join join) {
            // Validated before the claim: a join refused for its nickname claims nothing.
            names.nickname(join.nick());
            String home = bus.claim(names.roomName(join.room()));
            return home.equals(bus.node()) ? null : home;
        }
        boolean aboutTheRoom = !(message instanceof ClientMessage.WatchRooms || message instanceof ClientMessage.UnwatchRooms
                || message instanceof ClientMessage.Ping);
        return aboutTheRoom ? c.home : null;
    }

    /** A request from a participant on another node, about a room that lives here. */
    private void forwarded(NodeMessage.Forward forward) {
        RemoteClient client = remotes.computeIfAbsent(forward.pid(),
                pid -> new RemoteClient(pid, forward.from(), forward.address(), bus,
                        outboxes.computeIfAbsent(forward.from(), node -> new NodeOutbox(node, bus, fanOut))));
        String id = null;
        try {
            ClientMessage message = codec.decode(forward.frame());
            id = message.id();
            ServerMessage reply = handle(client, message);
            if (reply != null) {
                reply(client, reply);
            }
        } catch (Refusal refusal) {
            reply(client, new ServerMessage.Error(id, refusal.code().wire(), refusal.getMessage()));
        } catch (RuntimeException e) {
            log.error("failed to handle a message from {} on node {}", client.pid(), client.node(), e);
            reply(client, new ServerMessage.Error(id, ErrorCode.INTERNAL.wire(), "internal error; the request was not carried out"));
        } finally {
            if (client.room == null) {
                remotes.remove(client.pid(), client);
            }
        }
    }

    @Override
    public void received(NodeMessage message) {
        if (message instanceof NodeMessage.Deliver deliver) {
            for (String pid : deliver.pids()) {
                Connection c = byPid.get(pid);
                if (c != null) {
                    c.send(deliver.frame());
                }
            }
        } else if (message instanceof NodeMessage.Forward forward) {
            forwarded(forward);
        } else if (message instanceof NodeMessage.Seated seated) {
            seated(seated);
        } else if (message instanceof NodeMessage.Gone gone) {
            RemoteClient client = remotes.remove(gone.pid());
            if (client != null) {
                leaveRoom(client, gone.reason());
            }
        } else if (message instanceof NodeMessage.RoomChanged changed) {
            roomList.changed(changed.count());
        }
    }

    /** A room on another node took one of our connections in, or let it go. */
    private void seated(NodeMessage.Seated seated) {
        Connection c = byPid.get(seated.pid());
        if (c == null) {
            // They disconnected while the join was on its way.
            if (seated.room() != null) {
                sendQuietly(seated.node(), new NodeMessage.Gone(seated.pid(), "disconnected"));
            }
            return;
        }
        if (seated.room() == null) {
            if (seated.node().equals(c.home)) {
                c.home = null;
            }
            return;
        }
        // Entering the new room came first; now leave the old one, wherever it is.
        leaveRoom(c, "left");
        if (c.home != null && !c.home.equals(seated.node())) {
            sendQuietly(c.home, new NodeMessage.Gone(c.pid(), "left"));
        }
        c.home = seated.node();
    }

    @Override
    public void nodeGone(String node) {
        remotes.values().removeIf(client -> {
            if (!client.node().equals(node)) {
                return false;
            }
            leaveRoom(client, "disconnected");
            return true;
        });
        outboxes.remove(node);
        // Our connections in rooms that lived there reconnect, and their rejoin opens the room anew.
        connections.values().stream().filter(c -> node.equals(c.home)).forEach(c -> {
            c.home = null;
            c.close(CloseCodes.SERVICE_RESTART, "the server holding the room went away");
        });
    }

    private static ServerMessage unavailable(String id) {
        return new ServerMessage.Error(id, ErrorCode.UNAVAILABLE.wire(),
                "the server holding this room cannot be reached; try again in a moment");
    }

    private void sendQuietly(String node, NodeMessage message) {
        try {
            bus.send(node, message);
        } catch (Bus.Unavailable e) {
            log.debug("could not tell node {}: {}", node, e.getMessage());
        }
    }

    /** Carries out one request and returns its reply, or null if the reply was already sent. */
    private ServerMessage handle(Client c, ClientMessage message) {
        if (message instanceof ClientMessage.Join join) {
            return join(c, join);
        } else if (message instanceof ClientMessage.Leave leave) {
            leaveRoom(c, "left");
            return new ServerMessage.Ack(leave.id());
        } else if (message instanceof ClientMessage.Chat chat) {
            return chat(c, chat);
        } else if (message instanceof ClientMessage.Rename rename) {
            String nick = names.nickname(rename.nick());
            Room room = c.room;
            c.nick = room == null ? nick : room.rename(c.pid(), nick);
            return new ServerMessage.RenameAck(rename.id(), c.nick);
        } else if (message instanceof ClientMessage.WatchRooms watch) {
            roomList.watch(c);
            return new ServerMessage.RoomsAck(watch.id(), rooms.listed());
        } else if (message instanceof ClientMessage.UnwatchRooms unwatch) {
            roomList.unwatch(c);
            return new ServerMessage.Ack(unwatch.id());
        } else if (message instanceof ClientMessage.Ping ping) {
            return new ServerMessage.Ack(ping.id());
        } else if (message instanceof ClientMessage.Lock lock) {
            rooms.lock(currentRoom(c), c.pid(), lock.locked());
            return new ServerMessage.Ack(lock.id());
        } else if (message instanceof ClientMessage.SetPassword password) {
            if (password.password() != null && password.password().codePointCount(0, password.password().length()) > MAX_PASSWORD) {
                throw new Refusal(ErrorCode.INVALID_PASSWORD, "a room password is at most " + MAX_PASSWORD + " characters");
            }
            rooms.password(currentRoom(c), c.pid(), password.password()).whenComplete((done, failure) -> reply(c,
                    failure == null ? new ServerMessage.Ack(password.id()) : storeError(password.id())));
            return null;
        } else if (message instanceof ClientMessage.HistoryRequest older) {
            Room room = currentRoom(c);
            store.read(() -> history.before(room.name(), older.before(), older.limit())).whenComplete((lines, failure) -> {
                if (failure != null) {
                    reply(c, storeError(older.id()));
                    return;
                }
                List<ServerMessage.HistoryLine> kept = historyLines(lines);
                reply(c, new ServerMessage.HistoryAck(older.id(), kept, kept.size() < lines.size() || lines.size() == older.limit()));
            });
            return null;
        } else if (message instanceof ClientMessage.MuteParticipant mute) {
            currentRoom(c).mute(c.pid(), mute.pid());
            return new ServerMessage.Ack(mute.id());
        } else if (message instanceof ClientMessage.RemoveParticipant remove) {
            rooms.remove(currentRoom(c), c.pid(), remove.pid());
            return new ServerMessage.Ack(remove.id());
        } else if (message instanceof ClientMessage.Media media) {
            currentRoom(c).media(c.pid(), new ServerMessage.MediaState(media.audio(), media.video(), media.screen()));
            return new ServerMessage.Ack(media.id());
        } else if (message instanceof ClientMessage.Signal signal) {
            currentRoom(c).relay(c.pid(), signal.to(), signal.data());
            return new ServerMessage.Ack(signal.id());
        }
        throw new IllegalStateException("unhandled message " + message);
    }

    private ServerMessage join(Client c, ClientMessage.Join join) {
        String roomName = names.roomName(join.room());
        String nick = names.nickname(join.nick());
        Room previous = c.room;
        if (previous != null && previous.name().equals(roomName)) {
            leaveRoom(c, "left");
            previous = null;
        }
        // Enter the new room before leaving the old one, so that a full room leaves you where you were.
        Rooms.Request request = new Rooms.Request(roomName, nick, join.media(), join.password(), join.ticket(),
                join.clientId(), c.address(), join.offer(), join.unlisted());
        Rooms.Entered joined = rooms.enter(request, c, entry -> {
            if (c instanceof RemoteClient remote) {
                // Before the ack, so that their node knows where to send what they say next.
                remote.seated(roomName);
            }
            return new ServerMessage.JoinAck(join.id(), roomName, entry.you(), entry.people(), entry.people().size(),
                    iceServers.forParticipant(c.pid()), entry.host(), entry.locked(), entry.hasPassword(),
                    entry.ticket(), entry.offeredTo());
        });
        if (previous != null) {
            rooms.exit(previous, c.pid(), "left");
        }
        if (c instanceof Connection local && local.home != null) {
            sendQuietly(local.home, new NodeMessage.Gone(c.pid(), "left"));
            local.home = null;
        }
        c.room = joined.room();
        c.nick = joined.entry().you().nick();
        sendHistory(c, roomName);
        return null;
    }

    /** The room's last lines, after the join ack; "unavailable" rather than nothing if the database fails. */
    private void sendHistory(Client c, String room) {
        if (settings.chatHistory() == 0) {
            return;
        }
        store.read(() -> history.recent(room, settings.chatHistory())).whenComplete((lines, failure) -> reply(c,
                failure == null ? new ServerMessage.History(historyLines(lines), false)
                        : new ServerMessage.History(List.of(), true)));
    }

    /**
     * The newest of {@code lines} (oldest first) that fit in {@link #MAX_HISTORY_REPLY_BYTES}: a
     * reply is bounded in bytes as well as lines, and the client pages back from its oldest line.
     */
    private static List<ServerMessage.HistoryLine> historyLines(List<ChatHistory.Line> lines) {
        java.util.ArrayDeque<ServerMessage.HistoryLine> kept = new java.util.ArrayDeque<>();
        long bytes = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            ChatHistory.Line l = lines.get(i);
            // The JSON around a line is under 100 bytes; its text and nick dominate.
            bytes += 100 + Connection.utf8Length(l.text()) + Connection.utf8Length(l.nick());
            if (bytes > MAX_HISTORY_REPLY_BYTES && !kept.isEmpty()) {
                break;
            }
            kept.addFirst(new ServerMessage.HistoryLine(l.id(), l.pid(), l.nick(), l.text(), l.ts()));
        }
        return List.copyOf(kept);
    }

    private static ServerMessage storeError(String id) {
        return new ServerMessage.Error(id, ErrorCode.STORE_UNAVAILABLE.wire(),
                "the database cannot be reached; try again in a moment");
    }

    private static Room currentRoom(Client c) {
        Room room = c.room;
        if (room == null) {
            throw new Refusal(ErrorCode.NOT_IN_ROOM, "join a room first");
        }
        return room;
    }

    private ServerMessage chat(Client c, ClientMessage.Chat chat) {
        Room room = currentRoom(c);
        String text = chat.text();
        if (text.isBlank()) {
            throw new Refusal(ErrorCode.EMPTY_MESSAGE, "message is empty");
        }
        if (text.indexOf('\u0000') >= 0) {
            throw new Refusal(ErrorCode.INVALID_TEXT, "message contains a NUL character");
        }
        int max = settings.limits().maxChatLength();
        if (text.codePointCount(0, text.length()) > max) {
            throw new Refusal(ErrorCode.MESSAGE_TOO_LONG, "message is longer than " + max + " characters");
        }
        long ts = System.currentTimeMillis();
        String seated = room.nickOf(c.pid());
        String nick = seated != null ? seated : c.nick;
        // Stored first, then shown to the others and acked: an acked line is never lost. The
        // single chat writer keeps lines in the order they were accepted.
        chatLines.write(new ChatHistory.NewLine(room.name(), c.pid(), nick, text, ts), (msgId, failure) -> {
            if (failure != null) {
                log.warn("chat line from {} not stored: {}", c.pid(), failure.toString());
                reply(c, storeError(chat.id()));
                return;
            }
            room.say(c.pid(), nick, msgId, text, ts);
            reply(c, new ServerMessage.ChatAck(chat.id(), msgId, ts));
        });
        return null;
    }

    private void leaveRoom(Client c, String reason) {
        Room room = c.room;
        if (room != null) {
            c.room = null;
            rooms.exit(room, c.pid(), reason);
            if (c instanceof RemoteClient remote) {
                remote.seated(null);
            }
        }
    }

    private void closed(String sessionId) {
        Connection connection = connections.remove(sessionId);
        if (connection != null) {
            limits.closed(AttemptLimit.addressKey(connection.address()));
            byPid.remove(connection.pid(), connection);
            roomList.unwatch(connection);
            leaveRoom(connection, "disconnected");
            if (connection.home != null) {
                sendQuietly(connection.home, new NodeMessage.Gone(connection.pid(), "disconnected"));
            }
        }
    }

    private void reply(Client connection, ServerMessage message) {
        if (message instanceof ServerMessage.Error error) {
            traffic.refused(error.code());
            if (connection != null && connection.shouldLog(error.code(), System.currentTimeMillis())) {
                Room room = connection.room;
                events.info("event=error code={} pid={} room={} node={}", error.code(), connection.pid(),
                        room == null ? "-" : room.name(), connection.node() != null ? connection.node() : bus.node());
            }
        }
        if (connection != null) {
            connection.send(codec.encode(message));
        }
    }
}
