package dev.myzoom.room;

import dev.myzoom.signal.MessageCodec;
import dev.myzoom.signal.ServerMessage;
import dev.myzoom.signal.ServerMessage.Person;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The people in one room, in the order they came. Every change happens under the room's lock
 * together with its notice to the others, so that everyone sees presence notices and head counts
 * in the same order. Sends are asynchronous, so holding the lock while sending waits on nobody.
 */
public final class Room {
    private static final Logger log = LoggerFactory.getLogger(Room.class);
    private record Seat(Member member, String nick) {}

    /** What a newcomer learns on entering. */
    public record Entry(Person you, List<Person> people) {}

    private final String name;
    private final MessageCodec codec;
    private final Map<String, Seat> seats = new LinkedHashMap<>();
    private boolean closed;

    Room(String name, MessageCodec codec) {
        this.name = name;
        this.codec = codec;
    }

    public String name() {
        return name;
    }

    public synchronized int count() {
        return seats.size();
    }

    /**
     * Seats the member under a nickname nobody else here has, and sends it {@code reply(entry)}
     * before anyone else hears of it, so that the newcomer's list of people can never miss
     * someone who comes right after. Returns null if the room closed meanwhile.
     */
    synchronized Entry enter(Member member, String nick, Function<Entry, ServerMessage> reply) {
        if (closed) {
            return null;
        }
        Person you = new Person(member.pid(), distinct(nick, null));
        seats.put(member.pid(), new Seat(member, you.nick()));
        List<Person> people = new ArrayList<>(seats.size());
        seats.forEach((pid, seat) -> people.add(new Person(pid, seat.nick())));
        Entry entry = new Entry(you, people);
        member.send(codec.encode(reply.apply(entry)));
        broadcast(new ServerMessage.Joined(you.pid(), you.nick(), seats.size()), you.pid());
        return entry;
    }

    /** Removes the member and tells the others; the room closes for good when the last one leaves. */
    synchronized boolean exit(String pid) {
        Seat seat = seats.remove(pid);
        if (seat == null) {
            return false;
        }
        broadcast(new ServerMessage.Left(pid, seat.nick(), seats.size()), null);
        closed = seats.isEmpty();
        return true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Gives the member a new nickname, made distinct from the others', and returns it. */
    public synchronized String rename(String pid, String nick) {
        Seat seat = seats.get(pid);
        if (seat == null) {
            return nick;
        }
        String chosen = distinct(nick, pid);
        if (!chosen.equals(seat.nick())) {
            seats.put(pid, new Seat(seat.member(), chosen));
            broadcast(new ServerMessage.Renamed(pid, seat.nick(), chosen, seats.size()), pid);
        }
        return chosen;
    }

    /** Sends a chat line to everyone but its author; the author gets an ack instead. */
    public synchronized ServerMessage.ChatMessage say(String pid, long msgId, String text, long ts) {
        Seat seat = seats.get(pid);
        ServerMessage.ChatMessage line = new ServerMessage.ChatMessage(msgId, pid, seat.nick(), text, ts);
        broadcast(line, pid);
        return line;
    }

    /**
     * Sends to a copy of the seats: a send to a connection that just broke can make Jetty close
     * it on this very thread, and the close handler then leaves this room (the lock is
     * re-entrant) while we are still going round. One broken member must not keep the message
     * from the others either.
     */
    private void broadcast(ServerMessage message, String exceptPid) {
        String frame = codec.encode(message);
        for (Seat seat : seats.values().toArray(Seat[]::new)) {
            if (!seat.member().pid().equals(exceptPid)) {
                try {
                    seat.member().send(frame);
                } catch (RuntimeException failure) {
                    log.warn("could not send to {} in {}: {}", seat.member().pid(), name, failure.toString());
                }
            }
        }
    }

    /**
     * Duplicates are allowed but made distinguishable, the way chat apps do it: a second "Ana"
     * becomes "Ana (2)".
     */
    private String distinct(String nick, String exceptPid) {
        String candidate = nick;
        for (int n = 2; taken(candidate, exceptPid); n++) {
            candidate = nick + " (" + n + ")";
        }
        return candidate;
    }

    private boolean taken(String nick, String exceptPid) {
        String key = nick.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Seat> e : seats.entrySet()) {
            if (!e.getKey().equals(exceptPid) && e.getValue().nick().toLowerCase(Locale.ROOT).equals(key)) {
                return true;
            }
        }
        return false;
    }
}
