package dev.myzoom.media.sfu;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Placements} for a node on its own: everything in this node's memory. */
public final class LocalPlacements implements Placements {
    private final Map<String, String> holders = new ConcurrentHashMap<>();
    private final Set<String> draining = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Integer> streams = Map.of();

    @Override
    public CompletableFuture<Optional<String>> holder(String room) {
        return CompletableFuture.completedFuture(Optional.ofNullable(holders.get(room)));
    }

    @Override
    public CompletableFuture<String> claim(String room, String choice, Optional<String> replacing) {
        return CompletableFuture.completedFuture(holders.compute(room,
                (key, held) -> held == null || replacing.filter(held::equals).isPresent() ? choice : held));
    }

    @Override
    public CompletableFuture<Void> release(String room, String instance) {
        holders.remove(room, instance);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> report(Map<String, Integer> now) {
        streams = Map.copyOf(now);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Load> load() {
        Map<String, Integer> rooms = new HashMap<>();
        holders.values().forEach(instance -> rooms.merge(instance, 1, Integer::sum));
        return CompletableFuture.completedFuture(new Load(streams, rooms, Set.copyOf(draining)));
    }

    @Override
    public CompletableFuture<Void> drain(String instance, boolean on) {
        if (on) {
            draining.add(instance);
        } else {
            draining.remove(instance);
        }
        return CompletableFuture.completedFuture(null);
    }
}
