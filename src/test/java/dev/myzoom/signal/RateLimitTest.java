package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-connection token bucket, on a clock the test moves (nanoseconds from an origin). */
class RateLimitTest {
    private static final long MS = 1_000_000L;
    // Far from zero, as System.nanoTime() is: nothing may assume the clock starts at 0.
    private static final long T0 = 987_654_321_000L;

    @Test
    void aFullBucketAllowsExactlyTheBurstAtOnce() {
        RateLimit limit = new RateLimit(10, 5, T0);
        assertEquals(5, takeAll(limit, T0));
        assertFalse(limit.tryTake(T0));
    }

    @Test
    void tokensComeBackAtTheRate() {
        RateLimit limit = new RateLimit(10, 5, T0);
        takeAll(limit, T0);
        // 10 per second: one every 100 ms.
        assertFalse(limit.tryTake(T0 + 90 * MS));
        assertTrue(limit.tryTake(T0 + 110 * MS));
        assertFalse(limit.tryTake(T0 + 110 * MS));
        assertEquals(3, takeAll(limit, T0 + 410 * MS));
    }

    @Test
    void refusedTriesDoNotCostTokens() {
        RateLimit limit = new RateLimit(10, 5, T0);
        takeAll(limit, T0);
        for (int i = 0; i < 50; i++) {
            assertFalse(limit.tryTake(T0 + i * MS));
        }
        // A flood of refused messages does not push the next allowed one further away.
        assertTrue(limit.tryTake(T0 + 110 * MS));
    }

    @Test
    void aLongSilenceRefillsOnlyUpToTheBurst() {
        RateLimit limit = new RateLimit(10, 5, T0);
        takeAll(limit, T0);
        assertEquals(5, takeAll(limit, T0 + 3_600_000 * MS));
    }

    @Test
    void isFullSaysWhetherTheBucketHasRefilledWithoutTakingAnything() {
        RateLimit limit = new RateLimit(10, 5, T0);
        assertTrue(limit.isFull(T0), "a new connection has not used its bucket");
        assertTrue(limit.tryTake(T0));
        assertFalse(limit.isFull(T0));
        assertFalse(limit.isFull(T0 + 90 * MS));
        assertTrue(limit.isFull(T0 + 110 * MS));
        // Asking took nothing: the bucket still holds the whole burst.
        assertEquals(5, takeAll(limit, T0 + 110 * MS));
    }

    private static int takeAll(RateLimit limit, long now) {
        int taken = 0;
        while (limit.tryTake(now)) {
            taken++;
            if (taken > 1_000) {
                throw new AssertionError("the bucket never runs dry");
            }
        }
        return taken;
    }
}
