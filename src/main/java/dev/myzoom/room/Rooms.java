package dev.myzoom.room;

import dev.myzoom.cluster.Bus;
import dev.myzoom.signal.ErrorCode;
import dev.myzoom.signal.MessageCodec;
import dev.myzoom.signal.Refusal;
import dev.myzoom.signal.ServerMessage;
import dev.myzoom.signal.ServerMessage.RoomCount;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Every open room on this node. A room opens with its first member, who hosts it, and closes
 * with its last. Entering a room with a password checks it here, outside the room's lock, since
 * an Argon2id check takes a while. Head counts go to the room list here and, through the bus, to
 * the other nodes of a cluster.
 */
public final class Rooms {
    private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final MessageCodec codec;
    private final RoomList list;
    private final int capacity;
    private final Passwords passwords;
    private final AttemptLimit attempts;
    private final RoomStore store;
    private final Bus bus;

    /** @param capacity the most people one room may hold */
    public Rooms(MessageCodec codec, RoomList list, int capacity, Passwords passwords, AttemptLimit attempts,
            RoomStore store, Bus bus) {
        this.codec = codec;
        this.list = list;
        this.capacity = capacity;
        this.passwords = passwords;
        this.attempts = attempts;
        this.store = store;
        this.bus = bus;
    }

    /** Who wants in, and what they bring to show they may. */
    public record Request(String room, String nick, ServerMessage.MediaState media, String password, String ticket,
            String address) {}

    /**
     * Enters the room (its name already validated), opening it if needed; the member gets
     * {@code reply} before the others hear of the newcomer.
     */
    public Joined enter(Request request, Member member, Function<Room.Entry, ServerMessage> reply) {
        while (true) {
            Room room = rooms.computeIfAbsent(request.room(),
                    n -> new Room(n, codec, capacity, store.passwordHash(n).orElse(null)));
            Room.Entry entry;
            try {
                boolean admitted = checkPassword(room, request);
                entry = room.enter(member, request.nick(), request.media(), request.ticket(), admitted, reply);
            } catch (Refusal refusal) {
                // A refused first comer must not leave an empty room behind.
                if (room.closeIfEmpty()) {
                    closed(room);
                }
                throw refusal;
            }
            if (entry != null) {
                changed(room);
                store.joined(room.name(), member.pid(), entry.you().nick());
                return new Joined(room, entry);
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
        String key = request.address() + " " + request.room();
        if (!attempts.allowed(key)) {
            throw new Refusal(ErrorCode.TOO_MANY_ATTEMPTS, "too many wrong passwords; wait a minute");
        }
        if (!passwords.matches(request.password(), hash)) {
            attempts.failed(key);
            throw new Refusal(ErrorCode.WRONG_PASSWORD, "wrong password");
        }
        attempts.succeeded(key);
        return true;
    }

    /** @param reason "left" or "disconnected" */
    public void exit(Room room, String pid, String reason) {
        String nick = room.exit(pid, reason);
        if (nick != null) {
            changed(room);
            if (room.isClosed()) {
                closed(room);
            }
            store.left(room.name(), pid, nick, reason);
        }
    }

    /** Host only: sends {@code pid} out of the room. */
    public void remove(Room room, String by, String pid) {
        String nick = room.remove(by, pid);
        changed(room);
        store.left(room.name(), pid, nick, "removed");
    }

    /** Host only: locks or unlocks the room. */
    public void lock(Room room, String by, boolean locked) {
        room.lock(by, locked);
        changed(room);
    }

    /**
     * Host only: sets the room's password ({@code null} or empty removes it). It takes effect,
     * and everyone is told, once its hash is stored. Argon2id is slow on purpose, so it is
     * computed off the WebSocket thread.
     */
    public CompletableFuture<Void> password(Room room, String by, String password) {
        if (!by.equals(room.host())) {
            throw new Refusal(ErrorCode.NOT_HOST, "only the host can do that");
        }
        CompletableFuture<String> hash = password == null || password.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> passwords.hash(password));
        return hash.thenCompose(h -> store.savePassword(room.name(), h).thenRun(() -> {
            room.password(by, h);
            changed(room);
        }));
    }

    private void changed(Room room) {
        RoomCount count = new RoomCount(room.name(), room.count(), room.isPrivate());
        list.changed(count);
        bus.roomChanged(count);
    }

    private void closed(Room room) {
        if (rooms.remove(room.name(), room) && !rooms.containsKey(room.name())) {
            bus.release(room.name());
        }
    }

    /** The open rooms of the whole cluster, largest first, then by name. */
    public List<RoomCount> snapshot() {
        return bus.rooms();
    }

    public int size() {
        return rooms.size();
    }

    public record Joined(Room room, Room.Entry entry) {}
}
