package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.cluster.Bus;
import dev.myzoom.cluster.NodeMessage;
import dev.myzoom.protocol.ServerMessage.RoomCount;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A room's frames for the participants on another node: the same frame for several of them in
 * one fan-out task is one bus message naming them all, and each participant still gets its
 * frames in the order the room sent them.
 */
class NodeOutboxTest {
    private final FanOut fanOut = new FanOut();
    private final RecordingBus bus = new RecordingBus();

    @AfterEach
    void close() {
        fanOut.close();
    }

    /** What one node sends to others, written down instead of published. */
    static final class RecordingBus implements Bus {
        @Override
        public void keepState(String room, RoomState state) {
        }

        @Override
        public java.util.Optional<RoomState> state(String room) {
            return java.util.Optional.empty();
        }

        @Override
        public dev.myzoom.media.sfu.Placements placements() {
            return new dev.myzoom.media.sfu.LocalPlacements();
        }

        record Sent(String node, NodeMessage message) {}

        final List<Sent> sent = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public CompletionStage<Boolean> send(String node, NodeMessage message) {
            if (down) {
                throw new Unavailable("redis is down");
            }
            sent.add(new Sent(node, message));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public String node() {
            return "home";
        }

        @Override
        public void listen(Listener listener) {
        }

        @Override
        public String claim(String room) {
            return node();
        }

        @Override
        public void release(String room) {
        }

        @Override
        public void roomChanged(RoomCount count, boolean listed) {
        }

        @Override
        public List<RoomCount> rooms() {
            return List.of();
        }

        @Override
        public void share(String report) {
        }

        @Override
        public List<String> reports() {
            return List.of();
        }

        @Override
        public boolean reachable() {
            return !down;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void oneBroadcastToThreePeopleOnOneNodeIsOneMessageNamingThemAll() throws Exception {
        NodeOutbox outbox = new NodeOutbox("node-b", bus, fanOut);
        String frame = "{\"type\":\"chat\",\"text\":\"hi\"}";
        List<Integer> sentDuringTask = new CopyOnWriteArrayList<>();
        onFanOut(() -> {
            outbox.send("p1", frame);
            outbox.send("p2", frame);
            outbox.send("p3", frame);
            sentDuringTask.add(bus.sent.size());
        });
        assertEquals(List.of(0), sentDuringTask, "nothing goes out before the task ends");
        assertEquals(List.of(new RecordingBus.Sent("node-b", new NodeMessage.Deliver(List.of("p1", "p2", "p3"), frame))),
                bus.sent);
    }

    @Test
    void equalTextThatIsNotTheSameFrameStaysTwoMessages() throws Exception {
        // Two people who each send "ok" make two frames that happen to be equal; merging them
        // would deliver one of the lines twice to one person and never to the other.
        NodeOutbox outbox = new NodeOutbox("node-b", bus, fanOut);
        String first = "{\"type\":\"chat\",\"text\":\"ok\"}";
        String second = new String(first);
        onFanOut(() -> {
            outbox.send("p1", first);
            outbox.send("p2", second);
        });
        assertEquals(List.of(new NodeMessage.Deliver(List.of("p1"), first), new NodeMessage.Deliver(List.of("p2"), second)),
                messages());
    }

    @Test
    void framesKeepTheOrderTheRoomSentThem() throws Exception {
        NodeOutbox outbox = new NodeOutbox("node-b", bus, fanOut);
        String a = "{\"type\":\"joined\"}";
        String b = "{\"type\":\"signal\"}";
        onFanOut(() -> {
            outbox.send("p1", a);
            outbox.send("p2", a);
            outbox.send("p1", b);
            outbox.send("p2", a);
        });
        // Only consecutive sends of one frame merge: p2's second `a` comes after p1's `b`.
        assertEquals(List.of(new NodeMessage.Deliver(List.of("p1", "p2"), a), new NodeMessage.Deliver(List.of("p1"), b),
                new NodeMessage.Deliver(List.of("p2"), a)), messages());
    }

    @Test
    void twoNodesGetAMessageEachInOneTask() throws Exception {
        NodeOutbox toB = new NodeOutbox("node-b", bus, fanOut);
        NodeOutbox toC = new NodeOutbox("node-c", bus, fanOut);
        String frame = "{\"type\":\"left\"}";
        onFanOut(() -> {
            toB.send("p1", frame);
            toC.send("p2", frame);
            toB.send("p3", frame);
        });
        assertEquals(List.of(new RecordingBus.Sent("node-b", new NodeMessage.Deliver(List.of("p1", "p3"), frame)),
                new RecordingBus.Sent("node-c", new NodeMessage.Deliver(List.of("p2"), frame))), bus.sent);
    }

    @Test
    void offTheFanOutThreadEachSendGoesAtOnce() {
        NodeOutbox outbox = new NodeOutbox("node-b", bus, fanOut);
        String frame = "{\"type\":\"host\"}";
        outbox.send("p1", frame);
        assertEquals(1, bus.sent.size(), "a Jetty thread's send has no task end to wait for");
        outbox.send("p2", frame);
        assertEquals(List.of(new NodeMessage.Deliver(List.of("p1"), frame), new NodeMessage.Deliver(List.of("p2"), frame)),
                messages());
    }

    @Test
    void whatTheBusCouldNotTakeIsDroppedNotSentAgainLater() throws Exception {
        NodeOutbox outbox = new NodeOutbox("node-b", bus, fanOut);
        bus.down = true;
        onFanOut(() -> outbox.send("p1", "{\"type\":\"lost\"}"));
        bus.down = false;
        String next = "{\"type\":\"next\"}";
        onFanOut(() -> outbox.send("p1", next));
        assertEquals(List.of(new NodeMessage.Deliver(List.of("p1"), next)), messages());
    }

    private List<NodeMessage> messages() {
        return bus.sent.stream().map(RecordingBus.Sent::message).toList();
    }

    /** Runs {@code task} on the fan-out thread and waits until what it sent has been flushed. */
    private void onFanOut(Runnable task) throws InterruptedException {
        CountDownLatch flushed = new CountDownLatch(1);
        FanOut.Buffered marker = flushed::countDown;
        fanOut.execute(() -> {
            task.run();
            // Flushed after the outboxes the task used, which were added to the batch first.
            fanOut.flushLater(marker);
        });
        assertTrue(flushed.await(5, TimeUnit.SECONDS), "fan-out thread stuck");
    }
}
