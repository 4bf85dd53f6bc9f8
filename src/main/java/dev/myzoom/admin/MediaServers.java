package dev.myzoom.admin;

import dev.myzoom.media.sfu.SfuRooms;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Janus instances as the admin panel shows them: state (up, draining, down), the rooms and
 * streams the cluster has on each, and how long each took to answer on average; and draining.
 */
public final class MediaServers {
    private final Optional<SfuRooms> rooms;
    private final MeterRegistry registry;

    public MediaServers(Optional<SfuRooms> rooms, MeterRegistry registry) {
        this.rooms = rooms;
        this.registry = registry;
    }

    /** One row per instance; none without an SFU. */
    public List<Map<String, Object>> rows() throws Exception {
        if (rooms.isEmpty()) {
            return List.of();
        }
        return rooms.get().instances().get(5, TimeUnit.SECONDS).stream().map(instance -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("instance", instance.name());
            row.put("state", instance.state());
            row.put("rooms", instance.rooms());
            row.put("streams", instance.streams());
            // A draining instance with no room left can be taken down for its upgrade.
            row.put("empty", instance.rooms() == 0);
            row.put("meanAnswerMs", meanAnswerMs(instance.name()));
            return row;
        }).toList();
    }

    /** Drains the instance, or lets it take rooms again; false if there is no such instance. */
    public boolean drain(String instance, boolean draining) {
        return rooms.map(r -> r.drain(instance, draining)).orElse(false);
    }

    /** The mean time this node's requests to the instance took, since start; null before the first. */
    private Double meanAnswerMs(String instance) {
        long count = 0;
        double total = 0;
        for (Timer timer : registry.find("myzoom.janus.requests").tag("instance", instance).timers()) {
            count += timer.count();
            total += timer.totalTime(TimeUnit.MILLISECONDS);
        }
        return count == 0 ? null : Math.round(total / count * 10) / 10.0;
    }
}
