package dev.myzoom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.protocol.MessageCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class RoomTest {
    private final MessageCodec codec = new MessageCodec(new ObjectMapper());
    private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Rooms rooms = new Rooms(codec,
            new RoomList(timer, Duration.ZERO, codec), mesh(), checks(), new NoStore(),
            new dev.myzoom.cluster.LocalBus(), timer);

    /** The mesh's plan with six seats and no STUN or TURN. */
    private static dev.myzoom.media.CallPlan mesh() {
        return new dev.myzoom.media.mesh.MeshPlan(6, new dev.myzoom.media.IceServers(List.of(), java.util.Optional.empty(), false));
    }

    private static PasswordChecks checks() {
        return new PasswordChecks(new Passwords(), 1, 4, java.time.Clock.systemUTC());
    }

    /** Rooms without a database: no passwords stored (but those given), nothing logged. */
    static class NoStore implements RoomStore {
        public java.util.Optional<String> passwordHash(String room) {
            return java.util.Optional.empty();
        }

        public java.util.concurrent.CompletableFuture<Void> savePassword(String room, String hash) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        public void joined(String room, String pid, String nick) {}

        public void left(String room, String pid, String nick, String reason) {}
    }

    static Rooms.Request into(String room, String nick) {
        return new Rooms.Request(room, nick, dev.myzoom.protocol.ServerMessage.MediaState.NONE, null, null, null, "127.0.0.1", null, false);
    }

    static final java.util.function.Function<Room.Entry, dev.myzoom.protocol.ServerMessage> ACK =
            entry -> new dev.myzoom.protocol.ServerMessage.Ack("join");

    record Inbox(String pid, List<String> frames) implements Member {
        Inbox(String pid) {
            this(pid, new CopyOnWriteArrayList<>());
        }

        @Override
        public void send(String frame) {
            frames.add(frame);
        }
    }

    /** A member whose connection throws once seated, as a half-closed socket might. */
    record Broken(String pid) implements Member {
        @Override
        public void send(String frame) {
            if (!frame.contains("\"ack\"")) {
                throw new IllegalStateException("socket is closing");
            }
        }
    }

    @Test
    void aMemberWhoseSendFailsDoesNotKeepMessagesFromTheOthers() {
        Inbox first = new Inbox("first");
        Inbox last = new Inbox("last");
        Room room = rooms.enter(into("r", "First"), first, ACK).room();
        rooms.enter(into("r", "Broken"), new Broken("broken"), ACK);
        rooms.enter(into("r", "Last"), last, ACK);

        room.say("first", "First", 1, "hello", 0);

        assertTrue(last.frames().stream().anyMatch(f -> f.contains("\"text\":\"hello\"")), last.frames().toString());
    }

    @Test
    void theRoomClosesWithItsLastMemberAndReopensFresh() {
        Inbox a = new Inbox("a");
        Room room = rooms.enter(into("once", "A"), a, ACK).room();
        rooms.exit(room, "a", "left");
        assertEquals(0, rooms.size());
        Room again = rooms.enter(into("once", "A"), a, ACK).room();
        assertEquals(1, again.count());
        assertTrue(again != room);
    }

    @Test
    void aRefusedFirstComerLeavesNoEmptyRoomBehind() {
        String hash = new Passwords().hash("right");
        Rooms guarded = new Rooms(codec, new RoomList(timer, Duration.ZERO, codec),
                mesh(), checks(), new NoStore() {
                    @Override
                    public java.util.Optional<String> passwordHash(String room) {
                        return java.util.Optional.of(hash);
                    }
                }, new dev.myzoom.cluster.LocalBus(), timer);
        Inbox a = new Inbox("a");
        org.junit.jupiter.api.Assertions.assertThrows(dev.myzoom.protocol.Refusal.class,
                () -> guarded.enter(into("guarded", "A"), a, ACK));
        assertEquals(0, guarded.size());
        Rooms.Request right = new Rooms.Request("guarded", "A", dev.myzoom.protocol.ServerMessage.MediaState.NONE,
                "right", null, null, "127.0.0.1", null, false);
        assertEquals(1, guarded.enter(right, a, ACK).room().count());
    }

    /** Finding 11 of the security audit: 400 join/leave cycles left 401 tickets in one room. */
    @Test
    void ticketsAreOnePerParticipantAndCapped() {
        Inbox stayer = new Inbox("stayer");
        Room room = rooms.enter(into("churn", "Stay"), stayer, ACK).room();
        Inbox churner = new Inbox("churner");
        for (int i = 0; i < 400; i++) {
            rooms.enter(into("churn", "Churn"), churner, ACK);
            rooms.exit(room, "churner", "left");
        }
        assertEquals(2, room.ticketCount(), "one for each participant who joined");
        for (int i = 0; i < 400; i++) {
            rooms.enter(into("churn", "New " + i), new Inbox("new-" + i), ACK);
            rooms.exit(room, "new-" + i, "disconnected");
        }
        assertEquals(64, room.ticketCount(), "capped at four per seat (at least 64), oldest dropped");
    }

    @Test
    void loggedNicknamesCannotForgeFieldsOrLines() {
        assertEquals("\"Bo\\\" event=kick by=admin x=\\\"\"", Quoted.of("Bo\" event=kick by=admin x=\""));
        assertEquals("\"a\\u2028b\\u000ac\"", Quoted.of("a\u2028b\nc"));
        assertEquals("\"\\\\\"", Quoted.of("\\"));
    }
}
