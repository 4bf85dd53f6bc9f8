package dev.myzoom.room;

import dev.myzoom.protocol.MessageCodec;
import dev.myzoom.protocol.ServerMessage;
import dev.myzoom.protocol.ServerMessage.RoomCount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The live list of open rooms for the clients that watch it (the home page). A change only marks
 * the room's latest count; within one window all changes go out together as one delta per watcher.
 * A burst of N joins thus costs O(N) plus one frame per watcher per window, not N full lists to
 * every socket as the course server did.
 */
public final class RoomList {
    private final Set<Member> watchers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;
    private final long windowMillis;
    private final MessageCodec codec;
    private Map<String, RoomCount> pending = new LinkedHashMap<>();
    private boolean flushScheduled;
    /** The last list shown, until a room changes or it is a second old. */
    private volatile Listed listed;

    private record Listed(List<RoomCount> rooms, long at) {}

    /** How many rooms the list shows: the largest; a home page has no use for thousands. */
    public static final int MAX_SHOWN = 100;
    private static final long CACHE_NANOS = 1_000_000_000L;

    public RoomList(ScheduledExecutorService scheduler, Duration window, MessageCodec codec) {
        this.scheduler = scheduler;
        this.windowMillis = window.toMillis();
        this.codec = codec;
    }

    public void watch(Member member) {
        watchers.add(member);
    }

    public void unwatch(Member member) {
        watchers.remove(member);
    }

    /**
     * The largest {@link #MAX_SHOWN} rooms of {@code all}, from a copy kept until a room changes
     * (for at most a second): a flood of list requests then costs one read of the rooms, not one
     * each (in a cluster each is a Redis read), and one list of bounded size.
     */
    public List<RoomCount> listed(Supplier<List<RoomCount>> all) {
        Listed last = listed;
        long now = System.nanoTime();
        if (last == null || now - last.at() > CACHE_NANOS) {
            List<RoomCount> rooms = all.get();
            last = new Listed(List.copyOf(rooms.subList(0, Math.min(MAX_SHOWN, rooms.size()))), now);
            listed = last;
        }
        return last.rooms();
    }

    /** A room's count changed, here or (in a cluster) on another node. */
    public void changed(RoomCount count) {
        listed = null;
        synchronized (this) {
            pending.put(count.room(), count);
            if (flushScheduled) {
                return;
            }
            flushScheduled = true;
        }
        scheduler.schedule(this::flush, windowMillis, TimeUnit.MILLISECONDS);
    }

    private void flush() {
        Map<String, RoomCount> batch;
        synchronized (this) {
            batch = pending;
            pending = new LinkedHashMap<>();
            flushScheduled = false;
        }
        if (batch.isEmpty() || watchers.isEmpty()) {
            return;
        }
        List<RoomCount> changes = new ArrayList<>(batch.values());
        String frame = codec.encode(new ServerMessage.RoomsChanged(changes));
        for (Member watcher : watchers) {
            watcher.send(frame);
        }
    }
}
