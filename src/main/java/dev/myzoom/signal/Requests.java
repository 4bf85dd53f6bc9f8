package dev.myzoom.signal;

import dev.myzoom.cluster.Bus;
import dev.myzoom.cluster.NodeMessage;
import dev.myzoom.media.CallPlan;
import dev.myzoom.protocol.ClientMessage;
import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.Refusal;
import dev.myzoom.protocol.ServerMessage;
import dev.myzoom.room.Names;
import dev.myzoom.room.Room;
import dev.myzoom.room.RoomList;
import dev.myzoom.room.Rooms;
import dev.myzoom.store.ChatHistory;
import dev.myzoom.store.StoreQueue;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out requests, one method per {@link ClientMessage}, for a client here or (forwarded)
 * on another node. Each method answers through {@link Client#reply}, at once or when the store
 * or the password check is done; see docs/protocol.md for what each one promises.
 */
final class Requests {
    private static final Logger log = LoggerFactory.getLogger(Requests.class);
    private static final int MAX_PASSWORD = 128;
    /** History replies stop adding lines here (2000 emoji make one line 8 KB); the client pages on. */
    static final int MAX_HISTORY_REPLY_BYTES = 256 * 1024;

    private final Rooms rooms;
    private final RoomList roomList;
    private final Names names;
    private final CallPlan plan;
    private final ChatHistory history;
    private final StoreQueue store;
    private final StoreQueue.Batched<ChatHistory.NewLine, ChatHistory.Stored> chatLines;
    private final int chatHistory;
    private final Bus bus;
    private final MediaRequests media;

    /** @param chatHistory how many earlier lines a newcomer gets */
    Requests(Rooms rooms, RoomList roomList, Names names, CallPlan plan, ChatHistory history, StoreQueue store,
            int chatHistory, Bus bus, MediaRequests media) {
        this.media = media;
        this.rooms = rooms;
        this.roomList = roomList;
        this.names = names;
        this.plan = plan;
        this.history = history;
        this.store = store;
        this.chatLines = store.batched("store-chat-writer", history::appendAll);
        this.chatHistory = chatHistory;
        this.bus = bus;
    }

    /** Carries out one request; its reply has been sent, or will be once its work is done. */
    void handle(Client c, ClientMessage message) {
        if (MediaRequests.handles(message)) {
            if (!(c instanceof Connection local)) {
                throw new IllegalStateException("SFU requests are carried out where the WebSocket is");
            }
            media.handle(local, message);
        } else if (message instanceof ClientMessage.Join m) {
            join(c, m);
        } else if (message instanceof ClientMessage.Leave m) {
            leave(c, "left");
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.Chat m) {
            chat(c, m);
        } else if (message instanceof ClientMessage.Rename m) {
            rename(c, m);
        } else if (message instanceof ClientMessage.WatchRooms m) {
            roomList.watch(c);
            c.reply(new ServerMessage.RoomsAck(m.id(), rooms.listed()));
        } else if (message instanceof ClientMessage.UnwatchRooms m) {
            roomList.unwatch(c);
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.Ping m) {
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.Lock m) {
            rooms.lock(currentRoom(c), c.pid(), m.locked());
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.SetPassword m) {
            setPassword(c, m);
        } else if (message instanceof ClientMessage.HistoryRequest m) {
            older(c, m);
        } else if (message instanceof ClientMessage.MuteParticipant m) {
            currentRoom(c).mute(c.pid(), m.pid());
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.RemoveParticipant m) {
            rooms.remove(currentRoom(c), c.pid(), m.pid());
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.Media m) {
            currentRoom(c).media(c.pid(), new ServerMessage.MediaState(m.audio(), m.video(), m.screen()));
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.Hand m) {
            currentRoom(c).hand(c.pid(), m.raised());
            rooms.keep(currentRoom(c));
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.LowerHand m) {
            currentRoom(c).lowerHand(c.pid(), m.pid());
            rooms.keep(currentRoom(c));
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.React m) {
            currentRoom(c).react(c.pid(), m.emoji());
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.MuteAll m) {
            currentRoom(c).muteAll(c.pid(), m.lock());
            rooms.keep(currentRoom(c));
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.AllowUnmute m) {
            currentRoom(c).allowUnmute(c.pid(), m.allowed());
            rooms.keep(currentRoom(c));
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.AskToUnmute m) {
            currentRoom(c).askToUnmute(c.pid(), m.pid());
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.Record m) {
            currentRoom(c).record(c.pid(), m.on());
            rooms.keep(currentRoom(c));
            c.reply(new ServerMessage.Ack(m.id()));
        } else if (message instanceof ClientMessage.Signal m) {
            currentRoom(c).relay(c.pid(), m.to(), m.data());
            c.reply(new ServerMessage.Ack(m.id()));
        } else {
            throw new IllegalStateException("unhandled message " + message);
        }
    }

    private void join(Client c, ClientMessage.Join join) {
        String roomName = names.roomName(join.room());
        String nick = names.nickname(join.nick());
        Room previous = c.room;
        if (previous != null && previous.name().equals(roomName)) {
            leave(c, "left");
            previous = null;
        }
        // Enter the new room before leaving the old one, so that a full room leaves you where you were.
        Rooms.Request request = new Rooms.Request(roomName, nick, join.media(), join.password(), join.ticket(),
                join.clientId(), c.address(), join.offer(), join.unlisted());
        Rooms.Entered entered = rooms.enter(request, c, entry -> {
            if (c instanceof RemoteClient remote) {
                // Before the ack, so that their node knows where to send what they say next.
                remote.seated(roomName);
            }
            return new ServerMessage.JoinAck(join.id(), roomName, entry.you(), entry.people(), entry.people().size(),
                    plan.forParticipant(c.pid()).withMode(entry.mode(), plan.sfuAvailable()), entry.host(), entry.locked(), entry.hasPassword(),
                    entry.ticket(), entry.offeredTo(), entry.hands(), entry.micsLocked(), entry.recording());
        });
        if (previous != null) {
            rooms.exit(previous, c.pid(), "left");
        }
        if (c instanceof Connection local && local.sfu != null && !local.sfu.room().equals(roomName)) {
            media.end(local);
        }
        if (c instanceof Connection local && local.home != null) {
            // Their old room lived on another node: it lets them go now.
            ClusterRelay.tell(bus, local.home, new NodeMessage.Gone(c.pid(), "left"));
            local.home = null;
        }
        c.room = entered.room();
        c.nick = entered.entry().you().nick();
        sendHistory(c, roomName);
    }

    /** Seats the client again in {@code room}, whose node died (see {@link Rooms#takeOver}). */
    void takeOver(Client c, String room, String nick, ServerMessage.MediaState media, String callMode) {
        Room seatedIn = rooms.takeOver(room, c, nick, media, callMode);
        c.room = seatedIn;
        // The room may have made the nickname distinct, as a join does.
        String seated = seatedIn.nickOf(c.pid());
        c.nick = seated != null ? seated : nick;
    }

    /** Leaves the current room, if any (reason: left, disconnected or removed). */
    void leave(Client c, String reason) {
        Room room = c.room;
        if (c instanceof Connection local) {
            media.end(local);
        }
        if (room != null) {
            c.room = null;
            rooms.exit(room, c.pid(), reason);
            if (c instanceof RemoteClient remote) {
                remote.seated(null);
            }
        }
    }

    private void rename(Client c, ClientMessage.Rename rename) {
        String nick = names.nickname(rename.nick());
        Room room = c.room;
        c.nick = room == null ? nick : room.rename(c.pid(), nick);
        c.reply(new ServerMessage.RenameAck(rename.id(), c.nick));
    }

    private void chat(Client c, ClientMessage.Chat chat) {
        Room room = currentRoom(c);
        String text = names.chatText(chat.text());
        long ts = System.currentTimeMillis();
        String seated = room.nickOf(c.pid());
        String nick = seated != null ? seated : c.nick;
        // Stored first, then shown to the others and acked: an acked line is never lost. The
        // single chat writer keeps lines in the order they were accepted.
        chatLines.write(new ChatHistory.NewLine(room.name(), c.pid(), nick, text, ts, chat.lineId()), (stored, failure) -> {
            if (failure != null) {
                log.warn("chat line from {} not stored: {}", c.pid(), failure.toString());
                c.reply(storeError(chat.id()));
                return;
            }
            // A line sent again (its ack was lost) was shown when it was first stored: only the
            // ack goes, with the first one's id, so the page can tell it is the same line.
            if (!stored.again()) {
                room.say(c.pid(), nick, stored.id(), text, ts);
            }
            c.reply(new ServerMessage.ChatAck(chat.id(), stored.id(), stored.ts()));
        });
    }

    private void setPassword(Client c, ClientMessage.SetPassword password) {
        String given = password.password();
        if (given != null && given.codePointCount(0, given.length()) > MAX_PASSWORD) {
            throw new Refusal(ErrorCode.INVALID_PASSWORD, "a room password is at most " + MAX_PASSWORD + " characters");
        }
        rooms.password(currentRoom(c), c.pid(), given).whenComplete((done, failure) ->
                c.reply(failure == null ? new ServerMessage.Ack(password.id()) : storeError(password.id())));
    }

    private void older(Client c, ClientMessage.HistoryRequest older) {
        Room room = currentRoom(c);
        store.read(() -> history.before(room.name(), older.before(), older.limit())).whenComplete((lines, failure) -> {
            if (failure != null) {
                c.reply(storeError(older.id()));
                return;
            }
            List<ServerMessage.HistoryLine> kept = historyLines(lines);
            c.reply(new ServerMessage.HistoryAck(older.id(), kept, kept.size() < lines.size() || lines.size() == older.limit()));
        });
    }

    /** The room's last lines, after the join ack; "unavailable" rather than nothing if the database fails. */
    private void sendHistory(Client c, String room) {
        if (chatHistory == 0) {
            return;
        }
        store.read(() -> history.recent(room, chatHistory)).whenComplete((lines, failure) -> c.reply(
                failure == null ? new ServerMessage.History(historyLines(lines), false)
                        : new ServerMessage.History(List.of(), true)));
    }

    /**
     * The newest of {@code lines} (oldest first) that fit in {@link #MAX_HISTORY_REPLY_BYTES}: a
     * reply is bounded in bytes as well as lines, and the client pages back from its oldest line.
     */
    private static List<ServerMessage.HistoryLine> historyLines(List<ChatHistory.Line> lines) {
        ArrayDeque<ServerMessage.HistoryLine> kept = new ArrayDeque<>();
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
}
