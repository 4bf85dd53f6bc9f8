package dev.myzoom.room;

import dev.myzoom.signal.MessageCodec;
import dev.myzoom.signal.ServerMessage;
import dev.myzoom.signal.ServerMessage.RoomCount;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/** Every open room on this server. A room opens with its first member and closes with its last. */
public final class Rooms {
    private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final MessageCodec codec;
    private final RoomList list;
    private final int capacity;

    /** @param capacity the most people one room may hold */
    public Rooms(MessageCodec codec, RoomList list, int capacity) {
        this.codec = codec;
        this.list = list;
        this.capacity = capacity;
    }

    /**
     * Enters the room named {@code name} (already validated), opening it if needed; the member
     * gets {@code reply} before the others hear of the newcomer.
     */
    public Joined enter(String name, Member member, String nick, ServerMessage.MediaState media,
            Function<Room.Entry, ServerMessage> reply) {
        while (true) {
            Room room = rooms.computeIfAbsent(name, n -> new Room(n, codec, capacity));
            Room.Entry entry = room.enter(member, nick, media, reply);
            if (entry != null) {
                list.changed(name, entry.people().size());
                return new Joined(room, entry);
            }
            // The room closed between lookup and entry; it is being removed, so open a fresh one.
            rooms.remove(name, room);
        }
    }

    public void exit(Room room, String pid) {
        if (room.exit(pid)) {
            int count = room.count();
            if (room.isClosed()) {
                rooms.remove(room.name(), room);
            }
            list.changed(room.name(), count);
        }
    }

    /** The open rooms, largest first, then by name. */
    public List<RoomCount> snapshot() {
        return rooms.values().stream()
                .map(r -> new RoomCount(r.name(), r.count()))
                .filter(c -> c.count() > 0)
                .sorted(Comparator.comparingInt(RoomCount::count).reversed().thenComparing(RoomCount::room))
                .toList();
    }

    public int size() {
        return rooms.size();
    }

    public record Joined(Room room, Room.Entry entry) {}
}
