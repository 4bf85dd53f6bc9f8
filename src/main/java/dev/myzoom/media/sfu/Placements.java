package dev.myzoom.media.sfu;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Which Janus instance holds which room, and what every node knows of the instances' load and
 * draining, agreed by all of them: kept in this node alone ({@link LocalPlacements}) or in Redis
 * for a cluster (the cluster package's {@code RedisPlacements}). Instances are named by their
 * WebSocket URL. A room keeps its instance for its life, unless that instance dies.
 */
public interface Placements {
    /** The instance that holds the room now, if any. */
    CompletableFuture<Optional<String>> holder(String room);

    /**
     * Places the room on {@code choice} unless it is held, or held by {@code replacing} (a dead
     * instance); answers the instance that holds it afterwards, which another node may have
     * chosen first.
     */
    CompletableFuture<String> claim(String room, String choice, Optional<String> replacing);

    /** The room's meeting is over: it no longer holds a place on {@code instance}. */
    CompletableFuture<Void> release(String room, String instance);

    /** This node's streams on each instance now (publishers' and subscribers' m-lines). */
    CompletableFuture<Void> report(Map<String, Integer> streams);

    /** Every node's streams on each instance, summed; and how many rooms each holds. */
    CompletableFuture<Load> load();

    /** Marks an instance as draining (no new rooms), or not. */
    CompletableFuture<Void> drain(String instance, boolean draining);

    /** A snapshot of the instances' load: streams and rooms by instance, and the draining ones. */
    record Load(Map<String, Integer> streams, Map<String, Integer> rooms, Set<String> draining) {
        public int streamsOn(String instance) {
            return streams.getOrDefault(instance, 0);
        }
    }
}
