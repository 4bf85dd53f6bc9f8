package dev.myzoom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.signal.MessageCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class RoomTest {
    private final MessageCodec codec = new MessageCodec(new ObjectMapper());
    private final Rooms rooms = new Rooms(codec,
            new RoomList(Executors.newSingleThreadScheduledExecutor(), Duration.ZERO, codec), 6);

    static final java.util.function.Function<Room.Entry, dev.myzoom.signal.ServerMessage> ACK =
            entry -> new dev.myzoom.signal.ServerMessage.Ack("join");

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
        Room room = rooms.enter("r", first, "First", dev.myzoom.signal.ServerMessage.MediaState.NONE, ACK).room();
        rooms.enter("r", new Broken("broken"), "Broken", dev.myzoom.signal.ServerMessage.MediaState.NONE, ACK);
        rooms.enter("r", last, "Last", dev.myzoom.signal.ServerMessage.MediaState.NONE, ACK);

        room.say("first", 1, "hello", 0);

        assertTrue(last.frames().stream().anyMatch(f -> f.contains("\"text\":\"hello\"")), last.frames().toString());
    }

    @Test
    void theRoomClosesWithItsLastMemberAndReopensFresh() {
        Inbox a = new Inbox("a");
        Room room = rooms.enter("once", a, "A", dev.myzoom.signal.ServerMessage.MediaState.NONE, ACK).room();
        rooms.exit(room, "a");
        assertEquals(0, rooms.size());
        Room again = rooms.enter("once", a, "A", dev.myzoom.signal.ServerMessage.MediaState.NONE, ACK).room();
        assertEquals(1, again.count());
        assertTrue(again != room);
    }
}
