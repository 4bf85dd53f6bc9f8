package dev.myzoom.signal;

/**
 * A token bucket for one connection: {@code burst} messages at once, refilled at {@code perSecond}.
 * Each connection has its own, so a flooding client slows only itself.
 */
final class RateLimit {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimit(int perSecond, int burst, long now) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    /** Whether the bucket would be full at {@code now}, i.e. it has not been used for a while. */
    synchronized boolean isFull(long now) {
        return tokens + (now - last) * perNano >= burst;
    }

    synchronized boolean tryTake(long now) {
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
