package dev.myzoom.signal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many WebSockets one address (an IPv6 /64 counts as one) may hold open, how many the node
 * holds in all, and how fast one address may open them. Without these one script could open
 * thousands of connections (the audit opened 2,000 in 7 s), each with its own rate limit.
 */
public final class ConnectionLimits {
    private final int total;
    private final int perAddress;
    private final int upgradesPerSecond;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentMap<String, Integer> byAddress = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, RateLimit> upgrades = new ConcurrentHashMap<>();

    /** @param upgradesPerSecond new connections per second per address, with a burst of {@code perAddress} */
    public ConnectionLimits(int total, int perAddress, int upgradesPerSecond) {
        this.total = total;
        this.perAddress = perAddress;
        this.upgradesPerSecond = upgradesPerSecond;
    }

    /** Whether {@code address} may start another upgrade now (checked before the handshake). */
    public boolean mayUpgrade(String address) {
        long now = System.nanoTime();
        RateLimit bucket = upgrades.computeIfAbsent(address, a -> new RateLimit(upgradesPerSecond, perAddress, now));
        return bucket.tryTake(now) && byAddress.getOrDefault(address, 0) < perAddress && open.get() < total;
    }

    /**
     * Counts a connection that has opened, if there is room for it.
     *
     * @return null if it may stay, else why not (for the close reason)
     */
    String open(String address) {
        if (open.incrementAndGet() > total) {
            open.decrementAndGet();
            return "the server is full; try again later";
        }
        boolean[] over = new boolean[1];
        byAddress.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            over[0] = count >= perAddress;
            return over[0] ? n : count + 1;
        });
        if (over[0]) {
            open.decrementAndGet();
            return "too many connections from your address";
        }
        return null;
    }

    /** A connection counted by {@link #open} has closed. */
    void closed(String address) {
        open.decrementAndGet();
        byAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Forgets the upgrade buckets of addresses that are full again (called now and then). */
    public void prune() {
        long now = System.nanoTime();
        upgrades.entrySet().removeIf(e -> e.getValue().isFull(now));
    }
}
