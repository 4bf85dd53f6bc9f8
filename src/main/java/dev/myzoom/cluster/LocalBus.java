package dev.myzoom.cluster;

import dev.myzoom.protocol.ServerMessage.RoomCount;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A cluster of one node: every room lives here, and nothing needs to travel. */
public final class LocalBus implements Bus {
    private final dev.myzoom.media.sfu.Placements placements = new dev.myzoom.media.sfu.LocalPlacements();
    private static final String NODE = "local";
    private final Map<String, RoomCount> rooms = new ConcurrentHashMap<>();
    private volatile String report;

    @Override
    public String node() {
        return NODE;
    }

    @Override
    public void listen(Listener listener) {
        // Nothing ever arrives from elsewhere.
    }

    @Override
    public CompletionStage<Boolean> send(String node, NodeMessage message) {
        throw new Unavailable("there is no node " + node + " in a cluster of one");
    }

    @Override
    public String claim(String room) {
        return NODE;
    }

    @Override
    public void release(String room) {
        // Nothing is shared.
    }

    @Override
    public void roomChanged(RoomCount count, boolean listed) {
        if (count.count() == 0 || !listed) {
            rooms.remove(count.room());
        } else {
            rooms.put(count.room(), count);
        }
    }

    @Override
    public List<RoomCount> rooms() {
        return RoomCounts.sorted(rooms.values());
    }

    @Override
    public void share(String report) {
        this.report = report;
    }

    @Override
    public List<String> reports() {
        String last = report;
        return last == null ? List.of() : List.of(last);
    }

    @Override
    public boolean reachable() {
        return true;
    }

    @Override
    public void close() {
        // Nothing to let go of.
    }

    @Override
    public void keepState(String room, RoomState state) {
        // One node: its rooms die with it, and nobody takes them over.
    }

    @Override
    public java.util.Optional<RoomState> state(String room) {
        return java.util.Optional.empty();
    }

    @Override
    public dev.myzoom.media.sfu.Placements placements() {
        return placements;
    }
}
