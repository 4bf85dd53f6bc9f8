package dev.myzoom.room;

import dev.myzoom.signal.MessageCodec;
import dev.myzoom.signal.ServerMessage;
import dev.myzoom.signal.ServerMessage.RoomCount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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

    /** A room's count changed, here or (in a cluster) on another node. */
    public void changed(RoomCount count) {
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
        String frame = codec.encode(new ServerMessage.Rooms(changes));
        for (Member watcher : watchers) {
            watcher.send(frame);
        }
    }
}
