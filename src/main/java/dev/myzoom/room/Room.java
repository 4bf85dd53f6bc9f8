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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    /** @param mode how the room's calls travel now: {@link CallPlan#MESH} or {@link CallPlan#SFU} */
    public record Entry(Person you, List<Person> people, String host, boolean locked, boolean hasPassword, String ticket,
            String offeredTo, String mode, List<String> hands, boolean micsLocked, ServerMessage.Recording recording) {}

    /**
     * How long a room in the SFU must want the mesh (down to a few people, or the media server
     * gone) before it moves back: a guest who drops and rejoins must not bounce everyone's calls.
     */
    static final long MESH_RETURN_MILLIS = 5_000;

    private final String name;
    private final MessageCodec codec;
    private final CallPlan plan;
    private final Map<String, Seat> seats = new LinkedHashMap<>();
    /** A way back in for someone who was here: whose it is, and until when it works. */
    private record Ticket(String pid, long expiry) {}

    /**
     * By the ticket's SHA-256 (what a takeover keeps in Redis, so Redis never holds a way in);
     * oldest first, so that the cap drops the oldest.
     */
    private final Map<String, Ticket> tickets = new LinkedHashMap<>();
    /** Browsers the administrator removed, and until when they are kept out. */
    private final Map<String, Long> bans = new HashMap<>();
    private boolean closed;
    private boolean hadMembers;
    private String host;
    private boolean locked;
    private String passwordHash;
    /** How calls travel here now, and since when a move back to the mesh has been wanted (0: it is not). */
    private String mode = CallPlan.MESH;
    private long meshWantedSince;
    /** Who the host muted and has not unmuted themselves since: the media server holds their audio back. */
    private final java.util.Set<String> hostMuted = new java.util.HashSet<>();
    /** Raised hands, in the order they went up. */
    private final java.util.Set<String> hands = new java.util.LinkedHashSet<>();
    /** Whether only the host lets people unmute (after "mute everyone" with the lock), and whom the host asked to. */
    private boolean micsLocked;
    private final java.util.Set<String> mayUnmute = new java.util.HashSet<>();

    private final boolean listed;
    private final Recorder recorder;
    /** The recording running now, if any: its id, who started it (a nickname) and when. */
    private record Recording(String id, String by, long since) {}

    private Recording recording;
    /** Where the roster's gathered news is sent from, after {@link RosterBatch#WINDOW}. */
    private final ScheduledExecutorService timer;
    private final RosterBatch roster = new RosterBatch();

    /** @param listed whether the room list shows this room */
    /** @param plan how calls are carried here: the room's cap, and who gets a newcomer's first offer */
    Room(String name, MessageCodec codec, CallPlan plan, String passwordHash, boolean listed, ScheduledExecutorService timer,
            Recorder recorder) {
        this.name = name;
        this.recorder = recorder;
        this.timer = timer;
        this.listed = listed;
        this.codec = codec;
        this.plan = plan;
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
        Ticket held = ticket == null ? null : tickets.get(digest(ticket));
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
        // Asked at every join: without the media server, the cap falls back to the mesh's.
        int capacity = plan.capacity();
        if (seats.size() >= capacity) {
            throw new Refusal(ErrorCode.ROOM_FULL, "room is full (" + capacity + " people)"
                    + (plan.sfuAvailable() ? "" : "; larger rooms need the media server, which is not available"));
        }
        if (locked && !returning) {
            throw new Refusal(ErrorCode.ROOM_LOCKED, "the host has locked this room");
        }
        if (passwordHash != null && !admitted && !returning) {
            throw new Refusal(ErrorCode.PASSWORD_REQUIRED, "this room needs a password");
        }
        Seat mine = new Seat(member, distinct(nick, null), media, now, clientId);
        seats.put(member.pid(), mine);
        roster.seated(member.pid());
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
        tickets.put(digest(newTicket), new Ticket(member.pid(), now + TICKET_MILLIS));
        List<Person> people = new ArrayList<>(seats.size());
        seats.values().forEach(seat -> people.add(seat.person()));
        // The newcomer may be the one who takes the room to the SFU: the others hear of the move
        // after the news of the newcomer, and the newcomer learns it from the ack.
        boolean toSfu = CallPlan.MESH.equals(mode) && CallPlan.SFU.equals(plan.modeFor(seats.size()));
        if (toSfu) {
            mode = CallPlan.SFU;
            meshWantedSince = 0;
        }
        // The call plan says who gets the offer (the mesh: whoever has been here longest), who
        // then hears of the newcomer just before the others. In the SFU nobody calls anybody.
        Seat offeredTo = offer == null || seats.size() < 2 || CallPlan.SFU.equals(mode) ? null : firstOfferTo(mine);
        Entry entry = new Entry(mine.person(), people, host, locked, passwordHash != null, newTicket,
                offeredTo == null ? null : offeredTo.member().pid(), mode, List.copyOf(hands), micsLocked, recordingNews());
        if (recording != null) {
            recorder.joined(recording.id(), mine.nick());
        }
        member.send(codec.encode(reply.apply(entry)));
        ServerMessage.Joined joined = new ServerMessage.Joined(member.pid(), mine.nick(), media, seats.size(), null);
        if (offeredTo == null) {
            announce(member.pid(), joined);
        } else {
            sendRoster();
            // The offer rides in the news of the newcomer: one message, so their page can answer
            // before it lays out the newcomer's tile (a separate signal waited behind that work).
            offeredTo.member().send(codec.encode(new ServerMessage.Joined(member.pid(), mine.nick(), media,
                    seats.size(), offer)));
            broadcast(joined, member.pid(), offeredTo.member().pid());
        }
        if (toSfu) {
            log.info("room {} moves to the SFU ({} people)", name, seats.size());
            broadcast(new ServerMessage.CallMode(mode), member.pid());
        }
        if (micsLocked && media.audio() && !member.pid().equals(host)) {
            // Everyone is muted: so is whoever comes in now.
            member.send(codec.encode(new ServerMessage.MutedByHost(host, true)));
            hostMuted.add(member.pid());
            plan.muted(name, member.pid());
        }
        return entry;
    }

    /** How the room's calls travel now. */
    public synchronized String mode() {
        return mode;
    }

    /**
     * Moves the room's calls if they should travel otherwise now: to the SFU at once (it became
     * reachable, or the room grew), back to the mesh once that has been wanted for
     * {@link #MESH_RETURN_MILLIS} and the room fits a mesh. Called every second or so.
     */
    synchronized void reviewMode(long nowMillis) {
        if (closed) {
            return;
        }
        // A recording is made in the media server: the room stays there while it runs.
        String wanted = recording != null && plan.sfuAvailable() ? CallPlan.SFU : plan.modeFor(seats.size());
        if (wanted.equals(mode)) {
            meshWantedSince = 0;
            return;
        }
        if (CallPlan.MESH.equals(wanted)) {
            if (seats.size() > plan.meshCapacity()) {
                return;
            }
            if (meshWantedSince == 0) {
                meshWantedSince = nowMillis;
            }
            if (nowMillis - meshWantedSince < MESH_RETURN_MILLIS) {
                return;
            }
        }
        mode = wanted;
        meshWantedSince = 0;
        log.info("room {} moves to the {} ({} people)", name, mode, seats.size());
        broadcast(new ServerMessage.CallMode(mode), null);
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
        roster.gone(pid);
        hostMuted.remove(pid);
        mayUnmute.remove(pid);
        if (hands.remove(pid)) {
            broadcast(new ServerMessage.Hands(List.copyOf(hands)), null);
        }
        announce(pid, new ServerMessage.Left(pid, seat.nick(), seats.size(), reason));
        closed = seats.isEmpty();
        if (closed && recording != null) {
            recorder.stop(recording.id(), null);
            recording = null;
        }
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
            if (media.audio() && !seat.media().audio() && micsLocked && !pid.equals(host) && !mayUnmute.contains(pid)) {
                throw new Refusal(ErrorCode.MIC_LOCKED, "the host has muted everyone; only the host can let you unmute");
            }
            if (media.audio()) {
                mayUnmute.remove(pid);
            }
            if (media.audio() && hostMuted.remove(pid)) {
                plan.unmuted(name, pid);
            }
            seats.put(pid, seat.with(seat.nick(), media));
            announce(pid, new ServerMessage.MediaChanged(pid, media.audio(), media.video(), media.screen()));
        }
    }

    /** How long a room taken over after its node died waits for the others to come back before it says who is in it. */
    public static final long TAKEOVER_SETTLE_MILLIS = 2_000;
    private boolean rehomedPending;
    /** Who hosted the room on the node that died, to host it again when back. */
    private String formerHost;

    /**
     * Takes what a room had on its old node, before anyone is seated again: its host (theirs again
     * once they are back), lock, raised hands and whether microphones are locked. Hands of people
     * who do not come back are dropped when the room says who is in it.
     */
    synchronized void restore(dev.myzoom.cluster.Bus.RoomState kept) {
        formerHost = kept.host();
        locked = kept.locked();
        hands.clear();
        hands.addAll(kept.hands());
        micsLocked = kept.micsLocked();
        // Whoever drops out of the taken-over room can still come back in, lock or password.
        tickets.clear();
        kept.tickets().forEach(t -> tickets.put(t.digest(), new Ticket(t.pid(), t.expiry())));
        // Janus records on whatever node died: this node takes the recording over, if it is
        // still running, so that its stop, its file and the host's link happen here.
        dev.myzoom.cluster.Bus.Recorded recorded = kept.recording();
        if (recorded != null && recorder.adopt(recorded.id(), name, recordingListener())) {
            recording = new Recording(recorded.id(), recorded.by(), recorded.since());
        }
    }

    /** What a takeover would need of this room (see {@link #restore}). */
    synchronized dev.myzoom.cluster.Bus.RoomState kept() {
        List<dev.myzoom.cluster.Bus.KeptTicket> kept = new ArrayList<>(tickets.size());
        tickets.forEach((digest, t) -> kept.add(new dev.myzoom.cluster.Bus.KeptTicket(digest, t.pid(), t.expiry())));
        return new dev.myzoom.cluster.Bus.RoomState(host, locked, List.copyOf(hands), micsLocked,
                recording == null ? null : new dev.myzoom.cluster.Bus.Recorded(recording.id(), recording.by(), recording.since()), kept);
    }

    /** A ticket as the room holds it: its SHA-256 in hex. */
    private static String digest(String ticket) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(ticket.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    synchronized boolean locked() {
        return locked;
    }

    /**
     * Seats someone who was in this room when its node died, as they were: nobody hears of it one
     * by one, but once the others have had time to come back too, everyone gets a {@code rehomed}
     * message with the room as it is. A room they say was in the SFU is in the SFU. Returns false
     * if the room closed meanwhile.
     */
    synchronized boolean rejoin(Member member, String nick, MediaState media, String callMode) {
        if (closed) {
            return false;
        }
        seats.put(member.pid(), new Seat(member, distinct(nick, member.pid()), media, System.currentTimeMillis(), null));
        roster.seated(member.pid());
        hadMembers = true;
        if (host == null || member.pid().equals(formerHost)) {
            host = member.pid();
        }
        if (CallPlan.SFU.equals(callMode)) {
            mode = CallPlan.SFU;
        }
        if (!rehomedPending) {
            rehomedPending = true;
            timer.schedule(this::sayRehomed, TAKEOVER_SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    private synchronized void sayRehomed() {
        rehomedPending = false;
        if (closed) {
            return;
        }
        List<Person> people = new ArrayList<>(seats.size());
        seats.values().forEach(seat -> people.add(seat.person()));
        hands.retainAll(seats.keySet());
        broadcast(new ServerMessage.Rehomed(people, people.size(), host, locked, passwordHash != null, List.copyOf(hands), micsLocked), null);
    }

    /** Host only: lock or unlock the room; everyone is told. Returns whether it changed. */
    public synchronized boolean lock(String by, boolean lock) {
        requireHost(by);
        boolean changed = locked != lock;
        locked = lock;
        broadcast(settings(), null);
        return changed;
    }

    /** Host only: set (a hash) or clear (null) the password; everyone is told. */
    synchronized void password(String by, String hash) {
        requireHost(by);
        passwordHash = hash;
        broadcast(settings(), null);
    }

    /** The administrator removes the password; everyone is told. */
    synchronized void clearPassword() {
        passwordHash = null;
        broadcast(settings(), null);
    }

    /** Host only: asks a participant's page to turn its microphone off. */
    public synchronized void mute(String by, String pid) {
        requireHost(by);
        Seat seat = target(pid);
        seat.member().send(codec.encode(new ServerMessage.MutedByHost(by, null)));
        // Enforced in the media server too, so that a page that ignores the request is silent
        // all the same; lifted when they turn their microphone back on.
        hostMuted.add(pid);
        plan.muted(name, pid);
    }

    /**
     * Host only: mutes everyone else, in the media server too. With {@code lock}, nobody may
     * turn their microphone on again until the host allows it ({@link #allowUnmute}) or asks them
     * ({@link #askToUnmute}); newcomers come in muted meanwhile.
     */
    public synchronized void muteAll(String by, boolean lock) {
        requireHost(by);
        for (Seat seat : seats.values().toArray(Seat[]::new)) {
            String pid = seat.member().pid();
            if (!pid.equals(by)) {
                seat.member().send(codec.encode(new ServerMessage.MutedByHost(by, lock ? true : null)));
                hostMuted.add(pid);
                plan.muted(name, pid);
            }
        }
        if (micsLocked != lock) {
            micsLocked = lock;
            mayUnmute.clear();
            broadcast(settings(), null);
        }
    }

    /** Host only: lets people unmute themselves again (true), or not (false). */
    public synchronized void allowUnmute(String by, boolean allowed) {
        requireHost(by);
        if (micsLocked == allowed) {
            micsLocked = !allowed;
            mayUnmute.clear();
            broadcast(settings(), null);
        }
    }

    /** Host only: asks someone to turn their microphone on, which they may then do even if microphones are locked. */
    public synchronized void askToUnmute(String by, String pid) {
        requireHost(by);
        if (pid.equals(by)) {
            throw new Refusal(ErrorCode.UNKNOWN_PEER, "you can unmute yourself");
        }
        Seat seat = target(pid);
        mayUnmute.add(pid);
        seat.member().send(codec.encode(new ServerMessage.UnmuteRequest(by)));
    }

    /** Raises or lowers the member's hand; everyone gets the hands in order. */
    public synchronized void hand(String pid, boolean raised) {
        if (!seats.containsKey(pid)) {
            return;
        }
        if (raised ? hands.add(pid) : hands.remove(pid)) {
            broadcast(new ServerMessage.Hands(List.copyOf(hands)), null);
        }
    }

    /** Host only: lowers someone's hand. */
    public synchronized void lowerHand(String by, String pid) {
        requireHost(by);
        target(pid);
        if (hands.remove(pid)) {
            broadcast(new ServerMessage.Hands(List.copyOf(hands)), null);
        }
    }

    /** Shows a member's reaction to the others (the sender's page shows its own at once). */
    public synchronized void react(String pid, String emoji) {
        if (seats.containsKey(pid)) {
            broadcast(new ServerMessage.Reaction(pid, emoji), pid);
        }
    }

    private ServerMessage.RoomSettings settings() {
        return new ServerMessage.RoomSettings(locked, passwordHash != null, micsLocked);
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
        // Removed means removed: their ticket no longer opens a locked room, and the media
        // server drops their media even if their page keeps sending.
        tickets.values().removeIf(t -> t.pid().equals(pid));
        plan.removed(name, pid);
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

    /**
     * Host only: starts or stops recording. A room on the mesh moves to the media server first,
     * and everyone is told, with who started or stopped it; a second start or stop changes nothing.
     *
     * @throws Refusal {@code not_host}, {@code recording_unavailable} or {@code disk_full}
     */
    public synchronized void record(String by, boolean on) {
        requireHost(by);
        if (on == (recording != null)) {
            return;
        }
        String nick = nickOf(by);
        if (!on) {
            recorder.stop(recording.id(), nick);
            recording = null;
            broadcast(new ServerMessage.Recording(false, nick, 0, null), null);
            return;
        }
        if (!plan.sfuAvailable()) {
            throw new Refusal(ErrorCode.RECORDING_UNAVAILABLE, "recording needs the media server, which cannot be reached now");
        }
        List<String> present = new ArrayList<>(seats.size());
        seats.values().forEach(seat -> present.add(seat.nick()));
        String id = recorder.start(name, nick, present, recordingListener());
        recording = new Recording(id, nick, System.currentTimeMillis());
        if (CallPlan.MESH.equals(mode)) {
            mode = CallPlan.SFU;
            meshWantedSince = 0;
            log.info("room {} moves to the SFU to be recorded ({} people)", name, seats.size());
            broadcast(new ServerMessage.CallMode(mode), null);
        }
        broadcast(recordingNews(), null);
    }

    private Recorder.Listener recordingListener() {
        return new Recorder.Listener() {
            @Override
            public void stoppedItself(String stopped, String reason) {
                recordingStopped(stopped, reason);
            }

            @Override
            public void toHost(ServerMessage news) {
                sendToHost(news);
            }
        };
    }

    /** Whether the room is being recorded now. */
    public synchronized boolean recording() {
        return recording != null;
    }

    private synchronized void recordingStopped(String id, String reason) {
        if (recording != null && recording.id().equals(id)) {
            recording = null;
            broadcast(new ServerMessage.Recording(false, null, 0, reason), null);
        }
    }

    private synchronized void sendToHost(ServerMessage news) {
        Seat seat = host == null ? null : seats.get(host);
        if (seat != null) {
            send(seat, codec.encode(news));
        }
    }

    private ServerMessage.Recording recordingNews() {
        return recording == null ? null : new ServerMessage.Recording(true, recording.by(), recording.since(), null);
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

    /**
     * News of someone's coming, going or media, for everyone else: gathered into the next
     * {@code roster} message in a big room ({@link RosterBatch}), sent at once in a small one.
     */
    private void announce(String pid, ServerMessage news) {
        if (seats.size() < RosterBatch.FROM && roster.isEmpty()) {
            broadcast(news, pid);
        } else if (roster.add(pid, news)) {
            timer.schedule(this::sendRoster, RosterBatch.WINDOW.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Sends the gathered roster news, to each member what is news to them. */
    private synchronized void sendRoster() {
        if (roster.isEmpty()) {
            return;
        }
        for (Seat seat : seats.values().toArray(Seat[]::new)) {
            List<ServerMessage> news = roster.forMember(seat.member().pid());
            if (!news.isEmpty()) {
                send(seat, codec.encode(new ServerMessage.Roster(news)));
            }
        }
        roster.clear();
    }

    private void broadcast(ServerMessage message, String exceptPid, String alsoExceptPid) {
        // Whatever else is said comes after the news gathered before it, as it happened.
        sendRoster();
        String frame = codec.encode(message);
        for (Seat seat : seats.values().toArray(Seat[]::new)) {
            String pid = seat.member().pid();
            if (!pid.equals(exceptPid) && !pid.equals(alsoExceptPid)) {
                send(seat, frame);
            }
        }
    }

    private void send(Seat seat, String frame) {
        try {
            seat.member().send(frame);
        } catch (RuntimeException failure) {
            log.warn("could not send to {} in {}: {}", seat.member().pid(), name, failure.toString());
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
        return Math.max(64, 4 * plan.capacity());
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
