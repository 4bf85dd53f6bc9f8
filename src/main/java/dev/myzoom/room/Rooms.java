package dev.myzoom.room;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.cluster.Bus;
import dev.myzoom.media.CallPlan;
import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.MessageCodec;
import dev.myzoom.protocol.Refusal;
import dev.myzoom.protocol.ServerMessage;
import dev.myzoom.protocol.ServerMessage.RoomCount;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every open room on this node. A room opens with its first member, who hosts it, and closes
 * with its last. Entering a room with a password checks it here, outside the room's lock, since
 * an Argon2id check takes a while. Head counts go to the room list here and, through the bus, to
 * the other nodes of a cluster.
 */
public final class Rooms {
    /** One line per join, leave and removal, in key=value form, for log search. */
    private static final Logger events = LoggerFactory.getLogger("dev.myzoom.events");

    private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final MessageCodec codec;
    private final RoomList list;
    private final CallPlan plan;
    private final PasswordChecks passwords;
    /** Rooms whose new password is being hashed: one at a time. */
    private final java.util.Set<String> hashing = ConcurrentHashMap.newKeySet();
    private final RoomStore store;
    private final Bus bus;
    private final ScheduledExecutorService timer;
    private final Recorder recorder;

    /** @param plan how calls are carried: the rooms' cap, the first offer, and the rooms' opening and closing */
    public Rooms(MessageCodec codec, RoomList list, CallPlan plan, PasswordChecks passwords, RoomStore store, Bus bus,
            ScheduledExecutorService timer) {
        this(codec, list, plan, passwords, store, bus, timer, Recorder.NONE);
    }

    /** @param recorder makes the rooms' recordings */
    public Rooms(MessageCodec codec, RoomList list, CallPlan plan, PasswordChecks passwords, RoomStore store, Bus bus,
            ScheduledExecutorService timer, Recorder recorder) {
        this.recorder = recorder;
        this.codec = codec;
        this.timer = timer;
        this.list = list;
        this.plan = plan;
        this.passwords = passwords;
        this.store = store;
        this.bus = bus;
    }

    /** Who wants in, and what they bring to show they may. */
    /** @param unlisted whether a room this request opens is left out of the room list */
    public record Request(String room, String nick, ServerMessage.MediaState media, String password, String ticket,
            String clientId, String address, JsonNode offer, boolean unlisted) {}

    /**
     * Enters the room (its name already validated), opening it if needed; the member gets
     * {@code reply} before the others hear of the newcomer.
     */
    public Entered enter(Request request, Member member, Function<Room.Entry, ServerMessage> reply) {
        while (true) {
            // Read outside the map's lock where it can be (in a cluster it is a database read);
            // a room that closed between the look and the open reads it inside.
            Optional<String> early = rooms.containsKey(request.room()) ? null : store.passwordHash(request.room());
            Room room = rooms.computeIfAbsent(request.room(), n -> new Room(n, codec, plan,
                    (early != null ? early : store.passwordHash(n)).orElse(null), !request.unlisted(), timer, recorder));
            Room.Entry entry;
            try {
                boolean admitted = checkPassword(room, request);
                // The meeting log is written under the room's lock, so that its rows come in the
                // order the room's members saw the joins and leaves.
                synchronized (room) {
                    entry = room.enter(member, request.nick(), request.media(), request.ticket(), request.clientId(),
                            admitted, request.offer(), reply);
                    if (entry != null) {
                        store.joined(room.name(), member.pid(), entry.you().nick());
                    }
                }
            } catch (Refusal refusal) {
                // A refused first comer must not leave an empty room behind.
                if (room.closeIfEmpty()) {
                    closed(room);
                }
                throw refusal;
            }
            if (entry != null) {
                if (entry.people().size() == 1) {
                    store.opened(room.name());
                    plan.opened(room.name());
                }
                changed(room);
                events.info("event=join room={} pid={} nick={} node={}", room.name(), member.pid(), Quoted.of(entry.you().nick()),
                        nodeOf(member));
                return new Entered(room, entry);
            }
            // The room closed between lookup and entry; it is being removed, so open a fresh one.
            closed(room);
        }
    }

    private boolean checkPassword(Room room, Request request) {
        String hash = room.passwordHash();
        if (hash == null || room.admits(request.ticket())) {
            return false;
        }
        if (request.password() == null || request.password().isEmpty()) {
            throw new Refusal(ErrorCode.PASSWORD_REQUIRED, "this room needs a password");
        }
        passwords.check(request.room(), request.address(), request.password(), hash);
        return true;
    }

    /**
     * Seats {@code member} again in {@code roomName}, which lived on a node that died, as they
     * were (see {@link Room#rejoin}); opens the room here if needed.
     */
    public Room takeOver(String roomName, Member member, String nick, ServerMessage.MediaState media, String callMode) {
        while (true) {
            boolean opening = !rooms.containsKey(roomName);
            Optional<String> early = opening ? store.passwordHash(roomName) : null;
            // The host and lock its old node kept, read from Redis before the room's lock is taken.
            Optional<Bus.RoomState> kept = opening ? bus.state(roomName) : Optional.empty();
            Room room = rooms.computeIfAbsent(roomName, n -> new Room(n, codec, plan,
                    (early != null ? early : store.passwordHash(n)).orElse(null), true, timer, recorder));
            boolean seated;
            boolean first;
            synchronized (room) {
                first = room.count() == 0;
                if (first) {
                    // The host is theirs again once they are back.
                    kept.ifPresent(room::restore);
                }
                seated = room.rejoin(member, nick, media, callMode);
            }
            if (seated) {
                if (first) {
                    plan.opened(room.name());
                }
                changed(room);
                events.info("event=takeover room={} pid={} nick={} node={}", room.name(), member.pid(), Quoted.of(nick), nodeOf(member));
                return room;
            }
            closed(room);
        }
    }

    /** @param reason "left" or "disconnected" */
    public void exit(Room room, String pid, String reason) {
        String nick;
        synchronized (room) {
            nick = room.exit(pid, reason);
            if (nick != null) {
                store.left(room.name(), pid, nick, reason);
            }
        }
        if (nick != null) {
            afterExit(room);
            events.info("event=leave room={} pid={} nick={} reason={} node={}", room.name(), pid, Quoted.of(nick), reason, bus.node());
        }
    }

    private void afterExit(Room room) {
        changed(room);
        if (room.isClosed()) {
            closed(room);
        }
    }

    /** Host only: sends {@code pid} out of the room. */
    public void remove(Room room, String by, String pid) {
        String nick;
        synchronized (room) {
            nick = room.remove(by, pid);
            store.left(room.name(), pid, nick, "removed");
        }
        afterExit(room);
        events.info("event=remove room={} pid={} nick={} by={} node={}", room.name(), pid, Quoted.of(nick), by, bus.node());
    }

    /** Administrator: sends {@code pid} out of a room held here, and keeps their browser out a minute. */
    public boolean expel(String roomName, String pid) {
        Room room = rooms.get(roomName);
        if (room == null) {
            return false;
        }
        String nick;
        synchronized (room) {
            nick = room.expel(pid);
            if (nick != null) {
                store.left(roomName, pid, nick, "removed");
            }
        }
        if (nick == null) {
            return false;
        }
        afterExit(room);
        events.info("event=kick room={} pid={} nick={} by=admin node={}", roomName, pid, Quoted.of(nick), bus.node());
        store.admin(roomName, "kicked", pid, nick, null);
        return true;
    }

    /** Administrator: tells everyone in a room held here that it closes, and sends them out. */
    public boolean close(String roomName, String text) {
        Room room = rooms.get(roomName);
        if (room == null) {
            return false;
        }
        List<Room.Participant> people = room.participants();
        room.closeByAdmin(text);
        afterExit(room);
        events.info("event=close room={} participants={} by=admin node={}", roomName, people.size(), bus.node());
        people.forEach(p -> store.left(roomName, p.pid(), p.nick(), "removed"));
        store.admin(roomName, "closed", null, null, text);
        return true;
    }

    /** Administrator: a notice to everyone in a room held here. */
    public boolean notice(String roomName, String text) {
        Room room = rooms.get(roomName);
        if (room == null) {
            return false;
        }
        room.notice(text);
        events.info("event=notice room={} by=admin node={}", roomName, bus.node());
        store.admin(roomName, "notice", null, null, text);
        return true;
    }

    /** The rooms held on this node. */
    public List<Room> held() {
        return List.copyOf(rooms.values());
    }

    /** How many people are in the rooms held on this node. */
    public int participants() {
        return rooms.values().stream().mapToInt(Room::count).sum();
    }

    private String nodeOf(Member member) {
        return member.node() != null ? member.node() : bus.node();
    }

    /** Host only: locks or unlocks the room. */
    public void lock(Room room, String by, boolean locked) {
        room.lock(by, locked);
        changed(room);
    }

    /**
     * Host only: sets the room's password ({@code null} or empty removes it). It takes effect,
     * and everyone is told, once its hash is stored. Argon2id is slow on purpose, so it is
     * computed by {@link PasswordChecks}, one room's at a time.
     */
    public CompletableFuture<Void> password(Room room, String by, String password) {
        if (!by.equals(room.host())) {
            throw new Refusal(ErrorCode.NOT_HOST, "only the host can do that");
        }
        if (!hashing.add(room.name())) {
            throw new Refusal(ErrorCode.RATE_LIMITED, "the room's password is being changed already");
        }
        try {
            CompletableFuture<String> hash = password == null || password.isEmpty()
                    ? CompletableFuture.completedFuture(null)
                    : passwords.hash(room.name(), by, password);
            return hash.thenCompose(h -> store.savePassword(room.name(), h).thenRun(() -> {
                room.password(by, h);
                changed(room);
            })).whenComplete((done, failure) -> hashing.remove(room.name()));
        } catch (RuntimeException refused) {
            hashing.remove(room.name());
            throw refused;
        }
    }

    /**
     * Publishes the room's count under the room's lock, so that two changes racing (a leave and a
     * disconnect, say) are published in the order they happened, and the last count is the true one.
     */
    private void changed(Room room) {
        synchronized (room) {
            RoomCount count = new RoomCount(room.name(), room.count(), room.isPrivate());
            // An unlisted room is not announced to anyone: its name is known only to those who
            // have the link (the bus still knows it is held here).
            if (room.listed()) {
                list.changed(count);
            }
            bus.roomChanged(count, room.listed());
            bus.keepState(room.name(), room.kept());
        }
    }

    /**
     * Keeps the room's state for a takeover after a change that {@link #changed} does not follow
     * (a hand, "mute everyone"): in a cluster, another node can then seat the room as it was.
     */
    public void keep(Room room) {
        synchronized (room) {
            bus.keepState(room.name(), room.kept());
        }
    }

    private void closed(Room room) {
        if (rooms.remove(room.name(), room)) {
            // A lock lives in the Room and ends with it; a password ends ROOM_PASSWORD_IDLE later.
            // A room that only ever refused people was never open: its grace goes on as it was.
            if (room.hadMembers()) {
                store.closed(room.name());
                plan.closed(room.name());
            }
            if (!rooms.containsKey(room.name())) {
                bus.release(room.name());
            }
        }
    }

    /**
     * Administrator: removes a room's password, whether the room is open here or closed. Those
     * inside are told through {@code settings}.
     */
    public CompletableFuture<Void> clearPassword(String roomName) {
        Room room = rooms.get(roomName);
        return store.savePassword(roomName, null).thenRun(() -> {
            if (room != null) {
                room.clearPassword();
                changed(room);
            }
            events.info("event=password-cleared room={} by=admin node={}", roomName, bus.node());
            store.admin(roomName, "password-cleared", null, null, null);
        });
    }

    /** The open rooms of the whole cluster, largest first, then by name. */
    public List<RoomCount> snapshot() {
        return bus.rooms();
    }

    /** The rooms the room list shows (see {@link RoomList#listed}). */
    public List<RoomCount> listed() {
        return list.listed(this::snapshot);
    }

    /** Moves rooms whose calls should travel otherwise now (see {@link Room#reviewMode}). */
    public void reviewModes() {
        long now = System.currentTimeMillis();
        rooms.values().forEach(room -> room.reviewMode(now));
    }

    public int size() {
        return rooms.size();
    }

    public record Entered(Room room, Room.Entry entry) {}
}
