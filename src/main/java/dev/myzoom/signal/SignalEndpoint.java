package dev.myzoom.signal;

import dev.myzoom.media.IceServers;
import dev.myzoom.room.Names;
import dev.myzoom.room.Room;
import dev.myzoom.room.RoomList;
import dev.myzoom.room.Rooms;
import dev.myzoom.store.ChatHistory;
import dev.myzoom.store.StoreQueue;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /ws} endpoint: one connection per browser tab, JSON requests in, acks, errors and
 * events out. See docs/protocol.md for every message.
 */
public final class SignalEndpoint {
    private static final Logger log = LoggerFactory.getLogger(SignalEndpoint.class);

    /** What the endpoint needs to know from the configuration. */
    public record Settings(ServerMessage.Limits limits, int ratePerSecond, int rateBurst, Duration idleTimeout,
            int chatHistory) {}

    private static final int MAX_PASSWORD = 128;

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final MessageCodec codec;
    private final Rooms rooms;
    private final RoomList roomList;
    private final Names names;
    private final IceServers iceServers;
    private final ChatHistory history;
    private final StoreQueue store;
    private final Settings settings;

    public SignalEndpoint(MessageCodec codec, Rooms rooms, RoomList roomList, Names names, IceServers iceServers,
            ChatHistory history, StoreQueue store, Settings settings) {
        this.codec = codec;
        this.rooms = rooms;
        this.roomList = roomList;
        this.names = names;
        this.iceServers = iceServers;
        this.history = history;
        this.store = store;
        this.settings = settings;
    }

    public void configure(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(ctx -> received(ctx, ctx.message()));
        ws.onBinaryMessage(ctx -> reply(connections.get(ctx.sessionId()),
                new ServerMessage.Error(null, ErrorCode.BAD_JSON.wire(), "binary frames are not part of the protocol")));
        ws.onClose(ctx -> closed(ctx.sessionId()));
        ws.onError(ctx -> log.debug("socket error on {}: {}", ctx.sessionId(), String.valueOf(ctx.error())));
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
                c.close(4000, "heartbeat timeout");
            }
        });
    }

    private void connected(WsContext ctx) {
        String pid = HexFormat.of().formatHex(randomBytes());
        Connection connection = new Connection(pid, ctx,
                new RateLimit(settings.ratePerSecond(), settings.rateBurst(), System.nanoTime()));
        connections.put(ctx.sessionId(), connection);
        reply(connection, new ServerMessage.Welcome(pid, settings.limits()));
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return bytes;
    }

    private void received(WsContext ctx, String frame) {
        Connection connection = connections.get(ctx.sessionId());
        if (connection == null) {
            return;
        }
        connection.lastSeen = System.nanoTime();
        String id = null;
        try {
            if (!connection.rateLimit.tryTake(System.nanoTime())) {
                throw new Refusal(ErrorCode.RATE_LIMITED, "too many messages; slow down");
            }
            ClientMessage message = codec.decode(frame);
            id = message.id();
            ServerMessage reply = handle(connection, message);
            if (reply != null) {
                reply(connection, reply);
            }
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

    /** Carries out one request and returns its reply, or null if the reply was already sent. */
    private ServerMessage handle(Connection c, ClientMessage message) {
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
            return new ServerMessage.RoomsAck(watch.id(), rooms.snapshot());
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
            store.read(() -> history.before(room.name(), older.before(), older.limit())).whenComplete((lines, failure) ->
                    reply(c, failure == null ? new ServerMessage.HistoryAck(older.id(), historyLines(lines))
                            : storeError(older.id())));
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

    private ServerMessage join(Connection c, ClientMessage.Join join) {
        String roomName = names.roomName(join.room());
        String nick = names.nickname(join.nick());
        Room previous = c.room;
        if (previous != null && previous.name().equals(roomName)) {
            leaveRoom(c, "left");
            previous = null;
        }
        // Enter the new room before leaving the old one, so that a full room leaves you where you were.
        Rooms.Request request = new Rooms.Request(roomName, nick, join.media(), join.password(), join.ticket(),
                c.address());
        Rooms.Joined joined = rooms.enter(request, c, entry ->
                new ServerMessage.JoinAck(join.id(), roomName, entry.you(), entry.people(), entry.people().size(),
                        iceServers.forParticipant(c.pid()), entry.host(), entry.locked(), entry.hasPassword(),
                        entry.ticket()));
        if (previous != null) {
            rooms.exit(previous, c.pid(), "left");
        }
        c.room = joined.room();
        c.nick = joined.entry().you().nick();
        sendHistory(c, roomName);
        return null;
    }

    /** The room's last lines, after the join ack; "unavailable" rather than nothing if the database fails. */
    private void sendHistory(Connection c, String room) {
        if (settings.chatHistory() == 0) {
            return;
        }
        store.read(() -> history.recent(room, settings.chatHistory())).whenComplete((lines, failure) -> reply(c,
                failure == null ? new ServerMessage.History(historyLines(lines), false)
                        : new ServerMessage.History(List.of(), true)));
    }

    private static List<ServerMessage.HistoryLine> historyLines(List<ChatHistory.Line> lines) {
        return lines.stream().map(l -> new ServerMessage.HistoryLine(l.id(), l.pid(), l.nick(), l.text(), l.ts())).toList();
    }

    private static ServerMessage storeError(String id) {
        return new ServerMessage.Error(id, ErrorCode.STORE_UNAVAILABLE.wire(),
                "the database cannot be reached; try again in a moment");
    }

    private static Room currentRoom(Connection c) {
        Room room = c.room;
        if (room == null) {
            throw new Refusal(ErrorCode.NOT_IN_ROOM, "join a room first");
        }
        return room;
    }

    private ServerMessage chat(Connection c, ClientMessage.Chat chat) {
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
        // single store writer keeps lines in the order they were accepted.
        store.write(() -> history.append(room.name(), c.pid(), nick, text, ts)).whenComplete((msgId, failure) -> {
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

    private void leaveRoom(Connection c, String reason) {
        Room room = c.room;
        if (room != null) {
            c.room = null;
            rooms.exit(room, c.pid(), reason);
        }
    }

    private void closed(String sessionId) {
        Connection connection = connections.remove(sessionId);
        if (connection != null) {
            roomList.unwatch(connection);
            leaveRoom(connection, "disconnected");
        }
    }

    private void reply(Connection connection, ServerMessage message) {
        if (connection != null) {
            connection.send(codec.encode(message));
        }
    }
}
