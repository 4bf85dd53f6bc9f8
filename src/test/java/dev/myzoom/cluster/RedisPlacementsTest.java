package dev.myzoom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.media.sfu.Placements;
import dev.myzoom.support.Redis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two nodes on one Redis agree on where each room's media is, and see each other's load. */
class RedisPlacementsTest {
    static RedisBus node(Redis redis) {
        return new RedisBus(redis.url(), Redis.CLUSTER_SECRET, Duration.ofSeconds(15), new ObjectMapper(), new SimpleMeterRegistry());
    }

    @Test
    void theFirstClaimWinsEveryNodeSeesItAndOnlyADeadHoldersPlaceIsTakenOver() throws Exception {
        try (Redis redis = Redis.start()) {
            RedisBus one = node(redis);
            RedisBus two = node(redis);
            try {
                Placements p1 = one.placements();
                Placements p2 = two.placements();
                assertEquals("ws://a", p1.claim("room", "ws://a", Optional.empty()).get(5, TimeUnit.SECONDS));
                assertEquals("ws://a", p2.claim("room", "ws://b", Optional.empty()).get(5, TimeUnit.SECONDS),
                        "node two takes node one's choice");
                assertEquals(Optional.of("ws://a"), p2.holder("room").get(5, TimeUnit.SECONDS));
                assertEquals("ws://a", p2.claim("room", "ws://b", Optional.of("ws://c")).get(5, TimeUnit.SECONDS),
                        "only the holder named as dead is replaced");
                assertEquals("ws://b", p2.claim("room", "ws://b", Optional.of("ws://a")).get(5, TimeUnit.SECONDS),
                        "ws://a died: the room goes to ws://b");
                assertEquals("ws://b", p1.claim("room", "ws://c", Optional.of("ws://a")).get(5, TimeUnit.SECONDS),
                        "a node late to see ws://a die takes the new place, not a third");

                p1.report(Map.of("ws://a", 10, "ws://b", 4)).get(5, TimeUnit.SECONDS);
                p2.report(Map.of("ws://b", 6)).get(5, TimeUnit.SECONDS);
                p1.claim("other", "ws://a", Optional.empty()).get(5, TimeUnit.SECONDS);
                p2.drain("ws://a", true).get(5, TimeUnit.SECONDS);
                Placements.Load load = p1.load().get(5, TimeUnit.SECONDS);
                assertEquals(10, load.streamsOn("ws://a"));
                assertEquals(10, load.streamsOn("ws://b"), "both nodes' streams on ws://b");
                assertEquals(Map.of("ws://a", 1, "ws://b", 1), load.rooms());
                assertTrue(load.draining().contains("ws://a"), "drained on node two, seen on node one");

                p1.release("room", "ws://a").get(5, TimeUnit.SECONDS);
                assertEquals(Optional.of("ws://b"), p2.holder("room").get(5, TimeUnit.SECONDS), "released only by its holder");
                p1.release("room", "ws://b").get(5, TimeUnit.SECONDS);
                assertEquals(Optional.empty(), p2.holder("room").get(5, TimeUnit.SECONDS));
            } finally {
                one.close();
                two.close();
            }
        }
    }
}
