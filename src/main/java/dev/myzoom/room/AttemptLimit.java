package dev.myzoom.room;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts attempts per key within a sliding window: after {@code max} within {@code window},
 * further ones are refused until the oldest is older than the window. Keyed by address (or
 * room), not connection, so that reconnecting does not reset it. Keys whose attempts have all
 * aged out are removed by {@link #prune}, so the map does not grow with every address ever seen.
 */
public final class AttemptLimit {
    private final int max;
    private final Duration window;
    private final Clock clock;
    private final ConcurrentMap<String, Deque<Long>> attempts = new ConcurrentHashMap<>();

    public AttemptLimit(int max, Duration window, Clock clock) {
        this.max = max;
        this.window = window;
        this.clock = clock;
    }

    /**
     * Counts an attempt before it is made, if there is room for it: attempts running at once
     * each take a place, so that a burst of parallel tries cannot all pass one check.
     *
     * @return false if {@code key} has used up its attempts (nothing is counted then)
     */
    public boolean tryReserve(String key) {
        boolean[] reserved = new boolean[1];
        attempts.compute(key, (k, recent) -> {
            Deque<Long> list = recent == null ? new ArrayDeque<>() : recent;
            prune(list);
            if (list.size() < max) {
                list.addLast(clock.millis());
                reserved[0] = true;
            }
            return list.isEmpty() ? null : list;
        });
        return reserved[0];
    }

    /** Gives back the newest reserved attempt of {@code key} (it succeeded, or was never made). */
    public void refund(String key) {
        attempts.computeIfPresent(key, (k, list) -> {
            list.pollLast();
            return list.isEmpty() ? null : list;
        });
    }

    /** Forgets every attempt of {@code key} (the right password: the count starts again). */
    public void succeeded(String key) {
        attempts.remove(key);
    }

    /** Forgets every key whose attempts are all older than the window. */
    public void prune() {
        for (String key : attempts.keySet()) {
            attempts.computeIfPresent(key, (k, list) -> {
                prune(list);
                return list.isEmpty() ? null : list;
            });
        }
    }

    /** How many keys are held now. */
    public int size() {
        return attempts.size();
    }

    private void prune(Deque<Long> recent) {
        long cutoff = clock.millis() - window.toMillis();
        while (!recent.isEmpty() && recent.peekFirst() < cutoff) {
            recent.removeFirst();
        }
    }

    /**
     * The part of an address that throttles count by: an IPv4 address whole, an IPv6 address by
     * its /64, since one subscriber usually gets a whole /64 and can pick any address in it.
     */
    public static String addressKey(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(String.format(Locale.ROOT, "%x:", ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
            }
            return prefix.append(":/64").toString();
        } catch (java.net.UnknownHostException e) {
            return address;
        }
    }
}
