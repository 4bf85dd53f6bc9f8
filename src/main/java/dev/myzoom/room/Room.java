package dev.myzoom.room;

import dev.myzoom.media.CallPlan;
import dev.myzoom.protocol.RandomIds;
import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.MessageCodec;
import dev.myzoom.protocol.Refusal;
import dev.myzoom.protocol.ServerMessage;
import dev.myzoom.protocol.ServerMessage.MediaState;
import dev.myzoom.protocol.ServerMessage.Person;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The people in one room, in the order they came, and the room's policy: who hosts it, whether
 * it is locked, and its password hash. Every change happens under the room's lock together with
 * its notice to the others, so that everyone sees presence notices and head counts in the same
 * order. Sends are asynchronous, so holding the lock while sending waits on nobody.
 */
public final class Room {
    private static final Logger log = LoggerFactory.getLogger(Room.class);
    private static final long TICKET_MILLIS = 15 * 60 * 1000;

    private record Seat(Member member, String nick, MediaState media, long joinedAt, String clientId) {
        Person person() {
            return new Person(member.pid(), nick, media);
        }

        Seat with(String newNick, MediaState newMedia) {
            return new Seat(member, newNick, newMedia, joinedAt, clientId);
        }
    }

    /** Someone in the room as the administrator sees them; {@code node} is null for this node. */
    public record Participant(String pid, String nick, MediaState media, long joinedAt, String node) {}

    /** How long someone removed by the administrator is kept out. */
    static final long BAN_MILLIS = 60_000;

    /** What a newcomer learns on entering. */
    /** @param offeredTo who got the offer that came with the join (null if nobody did) */
    public record Entry(Person you, List<Person> people, String host, boolean locked, boolean hasPassword, String ticket,
            String offeredTo) {}

    private final String name;
    private final MessageCodec codec;
    private final int capacity;
    private final CallPlan plan;
    private final Map<String, Seat> seats = new LinkedHashMap<>();
    /** A way back in for someone who was here: whose it is, and until when it works. */
    private record Ticket(String pid, long expiry) {}

    /** Oldest first, so that the cap drops the oldest. */
    private final Map<String, Ticket> tickets = new LinkedHashMap<>();
    /** Browsers the administrator removed, and until when they are kept out. */
    private final Map<String, Long> bans = new HashMap<>();
    private boolean closed;
    private boolean hadMembers;
    private String host;
    private boolean locked;
    private String passwordHash;

    private final boolean listed;

    /** @param listed whether the room list shows this room */
    /** @param plan how calls are carried here: the room's cap, and who gets a newcomer's first offer */
    Room(String name, MessageCodec codec, CallPlan plan, String passwordHash, boolean listed) {
        this.name = name;
        this.listed = listed;
        this.codec = codec;
        this.plan = plan;
        this.capacity = plan.capacity();
        this.passwordHash = passwordHash;
    }

    public String name() {
        return name;
    }

    /** Whether the room list shows this room (its first comer decided). */
    public boolean listed() {
        return listed;
    }

    public synchronized int count() {
        return seats.size();
    }

    /** Locked rooms and rooms with a password are shown as locked in the room list. */
    public synchronized boolean isPrivate() {
        return locked || passwordHash != null;
    }

    synchronized String host() {
        return host;
    }

    synchronized String passwordHash() {
        return passwordHash;
    }

    /** Whether {@code ticket} was given to someone who joined this room lately. */
    synchronized boolean admits(String ticket) {
        Ticket held = ticket == null ? null : tickets.get(ticket);
        return held != null && held.expiry() > System.currentTimeMillis();
    }

    /**
     * Seats the member under a nickname nobody else here has, and sends it {@code reply(entry)}
     * before anyone else hears of it, so that the newcomer's list of people can never miss
     * someone who comes right after. Returns null if the room closed meanwhile.
     *
     * @param admitted whether the password (if any) was checked, or a ticket lets them in
     * @throws Refusal {@code room_full}, {@code room_locked} or {@code password_required}
     */
    synchronized Entry enter(Member member, String nick, MediaState media, String ticket, String clientId,
            boolean admitted, JsonNode offer, Function<Entry, ServerMessage> reply) {
        if (closed) {
            return null;
        }
        long now = System.currentTimeMillis();
        bans.values().removeIf(until -> until < now);
        if (clientId != null && bans.containsKey(clientId)) {
            throw new Refusal(ErrorCode.REMOVED, "the administrator removed you from this room; try again in a minute");
        }
        boolean returning = admits(ticket);
        if (seats.size() >= capacity) {
            throw new Refusal(ErrorCode.ROOM_FULL, "room is full (" + capacity + " people)");
        }
        if (locked && !returning) {
            throw new Refusal(ErrorCode.ROOM_LOCKED, "the host has locked this room");
        }
        if (passwordHash != null && !admitted && !returning) {
            throw new Refusal(ErrorCode.PASSWORD_REQUIRED, "this room needs a password");
        }
        Seat mine = new Seat(member, distinct(nick, null), media, now, clientId);
        seats.put(member.pid(), mine);
        hadMembers = true;
        if (host == null) {
            host = member.pid();
        }
        String newTicket = RandomIds.hex(16);
        // One ticket per participant (joining again replaces it), and a few per seat at most: a
        // connection joining and leaving in a loop would otherwise pile up thousands.
        tickets.values().removeIf(t -> t.expiry() < now || t.pid().equals(member.pid()));
        Iterator<String> oldest = tickets.keySet().iterator();
        while (tickets.size() >= maxTickets() && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
        tickets.put(newTicket, new Ticket(member.pid(), now + TICKET_MILLIS));
        List<Person> people = new ArrayList<>(seats.size());
        seats.values().forEach(seat -> people.add(seat.person()));
        // The call plan says who gets the offer (the mesh: whoever has been here longest), who
        // then hears of the newcomer just before the others.
        Seat offeredTo = offer == null || seats.size() < 2 ? null : firstOfferTo(mine);
        Entry entry = new Entry(mine.person(), people, host, locked, passwordHash != null, newTicket,
                offeredTo == null ? null : offeredTo.member().pid());
        member.send(codec.encode(reply.apply(entry)));
        ServerMessage.Joined joined = new ServerMessage.Joined(member.pid(), mine.nick(), media, seats.size(), null);
        if (offeredTo == null) {
            broadcast(joined, member.pid());
        } else {
            // The offer rides in the news of the newcomer: one message, so their page can answer
            // before it lays out the newcomer's tile (a separate signal waited behind that work).
            offeredTo.member().send(codec.encode(new ServerMessage.Joined(member.pid(), mine.nick(), media,
                    seats.size(), offer)));
            broadcast(joined, member.pid(), offeredTo.member().pid());
        }
        return entry;
    }

    /**
     * Removes the member and tells the others why; hosting passes to whoever has been here
     * longest. The room closes for good when the last one leaves.
     */
    /** @return the nickname the member had here, or null if they were not here */
    synchronized String exit(String pid, String reason) {
        Seat seat = seats.remove(pid);
        if (seat == null) {
            return null;
        }
        broadcast(new ServerMessage.Left(pid, seat.nick(), seats.size(), reason), null);
        closed = seats.isEmpty();
        if (pid.equals(host) && !closed) {
            host = seats.keySet().iterator().next();
            broadcast(new ServerMessage.HostChanged(host), null);
        }
        return seat.nick();
    }

    /** Closes the room if nobody is in it; a newcomer racing in then opens a fresh one. */
    synchronized boolean closeIfEmpty() {
        closed = closed || seats.isEmpty();
        return closed;
    }

    /** Whether anyone was ever seated here (a room that only refused people never opened). */
    synchronized boolean hadMembers() {
        return hadMembers;
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
            seats.put(pid, seat.with(chosen, seat.media()));
            broadcast(new ServerMessage.Renamed(pid, seat.nick(), chosen, seats.size()), pid);
        }
        return chosen;
    }

    /** Records the member's media state and tells the others. */
    public synchronized void media(String pid, MediaState media) {
        Seat seat = seats.get(pid);
        if (seat != null && !seat.media().equals(media)) {
            seats.put(pid, seat.with(seat.nick(), media));
            broadcast(new ServerMessage.MediaChanged(pid, media.audio(), media.video(), media.screen()), pid);
        }
    }

    /** Host only: lock or unlock the room; everyone is told. Returns whether it changed. */
    public synchronized boolean lock(String by, boolean lock) {
        requireHost(by);
        boolean changed = locked != lock;
        locked = lock;
        broadcast(new ServerMessage.RoomSettings(locked, passwordHash != null), null);
        return changed;
    }

    /** Host only: set (a hash) or clear (null) the password; everyone is told. */
    synchronized void password(String by, String hash) {
        requireHost(by);
        passwordHash = hash;
        broadcast(new ServerMessage.RoomSettings(locked, passwordHash != null), null);
    }

    /** The administrator removes the password; everyone is told. */
    synchronized void clearPassword() {
        passwordHash = null;
        broadcast(new ServerMessage.RoomSettings(locked, false), null);
    }

    /** Host only: asks a participant's page to turn its microphone off. */
    public synchronized void mute(String by, String pid) {
        requireHost(by);
        Seat seat = target(pid);
        seat.member().send(codec.encode(new ServerMessage.MutedByHost(by)));
    }

    /** Host only: sends a participant out; the others hear they were removed. Returns their nickname. */
    synchronized String remove(String by, String pid) {
        requireHost(by);
        if (pid.equals(by)) {
            throw new Refusal(ErrorCode.UNKNOWN_PEER, "use leave to leave the room yourself");
        }
        return removeSeat(target(pid), new ServerMessage.Removed(by, null));
    }

    /**
     * The administrator sends a participant out: they are told, and their browser is kept out for
     * a minute. Returns their nickname, or null if they are not here.
     */
    synchronized String expel(String pid) {
        Seat seat = seats.get(pid);
        if (seat == null) {
            return null;
        }
        if (seat.clientId() != null) {
            bans.put(seat.clientId(), System.currentTimeMillis() + BAN_MILLIS);
        }
        return removeSeat(seat, new ServerMessage.Removed("admin", null));
    }

    /** The administrator closes the room: everyone is told, then sent out. Returns how many were here. */
    synchronized int closeByAdmin(String text) {
        int count = seats.size();
        if (text != null) {
            broadcast(new ServerMessage.Notice(text), null);
        }
        for (Seat seat : seats.values().toArray(Seat[]::new)) {
            removeSeat(seat, new ServerMessage.Removed("admin", "closed"));
        }
        return count;
    }

    /** A notice from the administrator to everyone here. */
    public synchronized void notice(String text) {
        broadcast(new ServerMessage.Notice(text), null);
    }

    /** Everyone here, for the administrator. */
    public synchronized List<Participant> participants() {
        List<Participant> list = new ArrayList<>(seats.size());
        seats.values().forEach(s -> list.add(new Participant(s.member().pid(), s.nick(), s.media(), s.joinedAt(), s.member().node())));
        return list;
    }

    private String removeSeat(Seat seat, ServerMessage.Removed message) {
        String pid = seat.member().pid();
        seat.member().send(codec.encode(message));
        seat.member().evicted(this);
        // Removed means removed: their ticket no longer opens a locked room.
        tickets.values().removeIf(t -> t.pid().equals(pid));
        return exit(pid, "removed");
    }

    /**
     * Passes signaling from one member to another of this room. Only members of the same room
     * can reach each other, so a page cannot probe or disturb strangers' calls.
     *
     * @throws Refusal with {@code unknown_peer} if {@code to} is not in this room
     */
    public synchronized void relay(String from, String to, JsonNode data) {
        Seat target = seats.get(to);
        if (target == null || to.equals(from) || !seats.containsKey(from)) {
            throw new Refusal(ErrorCode.UNKNOWN_PEER, "no participant " + to + " in this room");
        }
        target.member().send(codec.encode(new ServerMessage.Signal(from, data)));
    }

    /** Sends a stored chat line to everyone but its author (who gets an ack instead). */
    public synchronized void say(String pid, String nick, long msgId, String text, long ts) {
        broadcast(new ServerMessage.ChatMessage(msgId, pid, nick, text, ts), pid);
    }

    /** The member's nickname here, or null if they are not here. */
    public synchronized String nickOf(String pid) {
        Seat seat = seats.get(pid);
        return seat == null ? null : seat.nick();
    }

    private void requireHost(String pid) {
        if (!pid.equals(host)) {
            throw new Refusal(ErrorCode.NOT_HOST, "only the host can do that");
        }
    }

    private Seat target(String pid) {
        Seat seat = seats.get(pid);
        if (seat == null) {
            throw new Refusal(ErrorCode.UNKNOWN_PEER, "no participant " + pid + " in this room");
        }
        return seat;
    }

    /**
     * Sends to a copy of the seats: a send to a connection that just broke can make Jetty close
     * it on this very thread, and the close handler then leaves this room (the lock is
     * re-entrant) while we are still going round. One broken member must not keep the message
     * from the others either.
     */
    private void broadcast(ServerMessage message, String exceptPid) {
        broadcast(message, exceptPid, null);
    }

    private void broadcast(ServerMessage message, String exceptPid, String alsoExceptPid) {
        String frame = codec.encode(message);
        for (Seat seat : seats.values().toArray(Seat[]::new)) {
            String pid = seat.member().pid();
            if (!pid.equals(exceptPid) && !pid.equals(alsoExceptPid)) {
                try {
                    seat.member().send(frame);
                } catch (RuntimeException failure) {
                    log.warn("could not send to {} in {}: {}", seat.member().pid(), name, failure.toString());
                }
            }
        }
    }

    private Seat firstOfferTo(Seat newcomer) {
        List<String> present = new ArrayList<>(seats.size() - 1);
        seats.values().stream().filter(seat -> seat != newcomer).forEach(seat -> present.add(seat.member().pid()));
        String pid = plan.firstOfferTo(present);
        return pid == null ? null : seats.get(pid);
    }

    /** Tickets kept at most: four per seat, so that everyone can come back after a few drops. */
    private int maxTickets() {
        return Math.max(64, 4 * capacity);
    }

    /** How many tickets are held now. */
    synchronized int ticketCount() {
        return tickets.size();
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
