package dev.myzoom.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down guessing the admin password without locking the administrator out. Only an address
 * that has itself failed is ever made to wait, so strangers' wrong passwords never refuse the
 * right one from somewhere else:
 * <ul>
 * <li>an address with {@value #ADDRESS_MAX} failures within a minute waits until the oldest of
 * them is a minute old;
 * <li>when the whole account has had more than {@value #ACCOUNT_FREE} failures within
 * {@link #MEMORY} (from any addresses), every address that failed within that time also waits,
 * after its own last failure, 1 s for the first failure over that number, 2 s for the next,
 * doubling up to {@link #MAX_WAIT}.
 * </ul>
 * A right password forgets that address's failures. Everything is kept in memory per node and
 * forgotten after {@link #MEMORY}. Logins are rare, so one lock guards it all.
 */
public final class LoginThrottle {
    static final int ADDRESS_MAX = 5;
    static final Duration ADDRESS_WINDOW = Duration.ofMinutes(1);
    static final int ACCOUNT_FREE = 20;
    static final Duration MEMORY = Duration.ofMinutes(15);
    static final Duration MAX_WAIT = Duration.ofMinutes(15);

    private final Clock clock;
    private final Map<String, Deque<Long>> byAddress = new HashMap<>();
    private final Deque<Long> account = new ArrayDeque<>();
    private long lastSweep;

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code address} must wait before it may try again; empty if it may try now. */
    public synchronized Optional<Duration> wait(String address) {
        long now = clock.millis();
        Deque<Long> failures = byAddress.get(address);
        if (failures == null || prune(failures, now).isEmpty()) {
            return Optional.empty();
        }
        long until = 0;
        long windowStart = now - ADDRESS_WINDOW.toMillis();
        long inWindow = failures.stream().filter(t -> t >= windowStart).count();
        if (inWindow >= ADDRESS_MAX) {
            long oldestInWindow = failures.stream().filter(t -> t >= windowStart).findFirst().orElse(now);
            until = oldestInWindow + ADDRESS_WINDOW.toMillis();
        }
        until = Math.max(until, failures.peekLast() + accountWait(now).toMillis());
        return until > now ? Optional.of(Duration.ofMillis(until - now)) : Optional.empty();
    }

    public synchronized void failed(String address) {
        long now = clock.millis();
        byAddress.computeIfAbsent(address, a -> new ArrayDeque<>()).addLast(now);
        account.addLast(now);
        // Past this many the wait is at its cap anyway: keeping only the newest bounds the memory
        // an attacker with many addresses can fill, and the wait still lasts until they are old.
        if (account.size() > ACCOUNT_FREE + 32) {
            account.removeFirst();
        }
        if (now - lastSweep > ADDRESS_WINDOW.toMillis()) {
            lastSweep = now;
            byAddress.values().removeIf(f -> prune(f, now).isEmpty());
        }
    }

    public synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    /** The wait the account's recent failures impose on every address that failed. */
    private Duration accountWait(long now) {
        int over = prune(account, now).size() - ACCOUNT_FREE;
        if (over <= 0) {
            return Duration.ZERO;
        }
        // 2^(over-1) seconds; past 2^20 s it is capped anyway, so the shift cannot overflow.
        long seconds = 1L << Math.min(over - 1, 20);
        return seconds >= MAX_WAIT.toSeconds() ? MAX_WAIT : Duration.ofSeconds(seconds);
    }

    private static Deque<Long> prune(Deque<Long> failures, long now) {
        long cutoff = now - MEMORY.toMillis();
        while (!failures.isEmpty() && failures.peekFirst() < cutoff) {
            failures.removeFirst();
        }
        return failures;
    }
}
