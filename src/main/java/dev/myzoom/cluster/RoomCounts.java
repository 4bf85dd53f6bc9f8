package dev.myzoom.cluster;

import dev.myzoom.protocol.ServerMessage.RoomCount;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** The order the room list is shown in: largest first, then by name. */
final class RoomCounts {
    private static final Comparator<RoomCount> ORDER =
            Comparator.comparingInt(RoomCount::count).reversed().thenComparing(RoomCount::room);

    private RoomCounts() {}

    static List<RoomCount> sorted(Collection<RoomCount> counts) {
        return counts.stream().filter(c -> c.count() > 0).sorted(ORDER).toList();
    }
}
