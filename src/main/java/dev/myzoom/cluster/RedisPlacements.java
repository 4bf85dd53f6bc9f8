package dev.myzoom.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.media.sfu.LocalPlacements;
import dev.myzoom.media.sfu.Placements;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Placements} in Redis, so that every node of a cluster agrees on where a room's media is:
 * a hash of room to instance ({@code myzoom:janus:rooms}), changed only by scripts that claim and
 * release it atomically; each node's streams per instance with the time of its report
 * ({@code myzoom:janus:load}, field = node; reports older than {@link #STALE_MS} are a dead
 * node's and are not counted); and the set of draining instances. While Redis cannot be reached,
 * the node decides alone (a {@link LocalPlacements}), as the bus does with room homes.
 */
final class RedisPlacements implements Placements {
    private static final Logger log = LoggerFactory.getLogger(RedisPlacements.class);
    static final String ROOMS = "myzoom:janus:rooms";
    static final String LOAD = "myzoom:janus:load";
    static final String DRAINING = "myzoom:janus:draining";
    /** Nodes report every 2 s; a report older than this is from a node that is gone. */
    static final long STALE_MS = 10_000;

    // KEYS[1] the rooms hash; ARGV room, choice, the dead instance it may replace ('' if none).
    private static final String CLAIM = """
            local held = redis.call('HGET', KEYS[1], ARGV[1])
            if (not held) or (ARGV[3] ~= '' and held == ARGV[3]) then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
              return ARGV[2]
            end
            return held""";
    private static final String RELEASE = """
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
              return redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return 0""";

    private final RedisAsyncCommands<String, String> redis;
    private final String node;
    private final ObjectMapper json;
    private final Clock clock;
    private final LocalPlacements fallback = new LocalPlacements();

    RedisPlacements(RedisAsyncCommands<String, String> redis, String node, ObjectMapper json, Clock clock) {
        this.redis = redis;
        this.node = node;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Optional<String>> holder(String room) {
        return orAlone(() -> redis.hget(ROOMS, room).toCompletableFuture().thenApply(Optional::ofNullable),
                () -> fallback.holder(room));
    }

    @Override
    public CompletableFuture<String> claim(String room, String choice, Optional<String> replacing) {
        return orAlone(() -> redis.<String>eval(CLAIM, ScriptOutputType.VALUE, new String[] {ROOMS}, room, choice, replacing.orElse(""))
                .toCompletableFuture(), () -> fallback.claim(room, choice, replacing));
    }

    @Override
    public CompletableFuture<Void> release(String room, String instance) {
        fallback.release(room, instance);
        return quietly(() -> redis.<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[] {ROOMS}, room, instance).toCompletableFuture());
    }

    @Override
    public CompletableFuture<Void> report(Map<String, Integer> streams) {
        fallback.report(streams);
        String line;
        try {
            line = json.writeValueAsString(Map.of("at", clock.millis(), "streams", streams));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return quietly(() -> redis.hset(LOAD, node, line).toCompletableFuture());
    }

    @Override
    public CompletableFuture<Load> load() {
        return orAlone(() -> redis.hgetall(LOAD).toCompletableFuture()
                .thenCombine(redis.hgetall(ROOMS).toCompletableFuture(), (reports, holders) -> Map.entry(reports, holders))
                .thenCombine(redis.smembers(DRAINING).toCompletableFuture(), (both, draining) -> {
                    Map<String, Integer> streams = new HashMap<>();
                    long now = clock.millis();
                    both.getKey().forEach((reporter, line) -> {
                        try {
                            JsonNode report = json.readTree(line);
                            if (now - report.path("at").asLong() <= STALE_MS) {
                                report.path("streams").fields().forEachRemaining(e -> streams.merge(e.getKey(), e.getValue().asInt(), Integer::sum));
                            }
                        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                            log.warn("a bad load report from node {} in Redis: {}", reporter, e.getMessage());
                        }
                    });
                    Map<String, Integer> rooms = new HashMap<>();
                    both.getValue().values().forEach(instance -> rooms.merge(instance, 1, Integer::sum));
                    return new Load(streams, rooms, new HashSet<>(draining));
                }), fallback::load);
    }

    @Override
    public CompletableFuture<Void> drain(String instance, boolean draining) {
        fallback.drain(instance, draining);
        return quietly(() -> (draining ? redis.sadd(DRAINING, instance) : redis.srem(DRAINING, instance)).toCompletableFuture());
    }

    /** Done once Redis has it, or failed to take it: this node's own record already has it. */
    private CompletableFuture<Void> quietly(Supplier<CompletableFuture<?>> write) {
        try {
            return write.get().handle((done, failure) -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Redis's answer, or this node's own while Redis fails. */
    private <T> CompletableFuture<T> orAlone(Supplier<CompletableFuture<T>> shared, Supplier<CompletableFuture<T>> alone) {
        CompletableFuture<T> answer;
        try {
            answer = shared.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((value, failure) -> failure == null ? CompletableFuture.completedFuture(value) : alone.get())
                .thenCompose(f -> f);
    }
}
