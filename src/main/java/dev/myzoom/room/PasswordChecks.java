package dev.myzoom.room;

import dev.myzoom.concurrency.DaemonThreads;
import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.Refusal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where room passwords are hashed and checked, and how often anyone may try. Argon2id takes
 * about 0.3 CPU-seconds and 19 MiB a time, so it runs only on a few threads of its own with a
 * short queue, never on a WebSocket thread or the common pool; what does not fit is refused with
 * {@code too_many_attempts}. Every try is counted before it is hashed, so tries made in parallel
 * count too, against three limits: per address and room, per address over all rooms (or the
 * rooms someone opens for themselves would each give a fresh allowance), and per room over all
 * addresses. IPv6 addresses count by their /64.
 */
public final class PasswordChecks implements AutoCloseable {
    /** Wrong tries per address and room, per address, and per room, within a minute. */
    static final int PER_ADDRESS_AND_ROOM = 5;
    static final int PER_ADDRESS = 20;
    static final int PER_ROOM = 30;
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** setPassword: once per 5 seconds per room, and per connection. */
    static final Duration SET_INTERVAL = Duration.ofSeconds(5);
    /** A join waits at most this long for its check (queue and hash) before it is refused. */
    private static final long WAIT_SECONDS = 10;

    private final Passwords passwords;
    private final ThreadPoolExecutor executor;
    private final AttemptLimit addressAndRoom;
    private final AttemptLimit address;
    private final AttemptLimit room;
    private final AttemptLimit setting;

    /**
     * @param threads how many hashes may run at once
     * @param queue how many may wait for a thread
     */
    public PasswordChecks(Passwords passwords, int threads, int queue, Clock clock) {
        this.passwords = passwords;
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                DaemonThreads.numbered("argon2"), new ThreadPoolExecutor.AbortPolicy());
        this.addressAndRoom = new AttemptLimit(PER_ADDRESS_AND_ROOM, WINDOW, clock);
        this.address = new AttemptLimit(PER_ADDRESS, WINDOW, clock);
        this.room = new AttemptLimit(PER_ROOM, WINDOW, clock);
        this.setting = new AttemptLimit(1, SET_INTERVAL, clock);
    }

    /**
     * Checks a joiner's password against the room's hash. The calling thread waits for the
     * answer, but the hash runs elsewhere: how many wait at once is bounded by the queue.
     *
     * @throws Refusal {@code wrong_password}, or {@code too_many_attempts} when a limit is used up
     *     or the checker is full
     */
    void check(String roomName, String fromAddress, String given, String hash) {
        String who = AttemptLimit.addressKey(fromAddress);
        List<String> keys = List.of(who + " " + roomName, who, roomName);
        List<AttemptLimit> limits = List.of(addressAndRoom, address, room);
        for (int i = 0; i < keys.size(); i++) {
            if (!limits.get(i).tryReserve(keys.get(i))) {
                for (int j = 0; j < i; j++) {
                    limits.get(j).refund(keys.get(j));
                }
                throw new Refusal(ErrorCode.TOO_MANY_ATTEMPTS, "too many wrong passwords; wait a minute");
            }
        }
        boolean right;
        try {
            right = run(() -> passwords.matches(given, hash)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException | TimeoutException e) {
            refund(limits, keys);
            throw busy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refund(limits, keys);
            throw busy();
        } catch (ExecutionException e) {
            refund(limits, keys);
            throw new IllegalStateException("could not check a password", e.getCause());
        }
        if (!right) {
            throw new Refusal(ErrorCode.WRONG_PASSWORD, "wrong password");
        }
        // The right password clears this address's count for the room, as a login does.
        addressAndRoom.succeeded(keys.get(0));
        address.refund(keys.get(1));
        room.refund(keys.get(2));
    }

    /**
     * Hashes a new password for a room, at most once per {@link #SET_INTERVAL} per room and per
     * connection.
     *
     * @throws Refusal {@code rate_limited} too soon after the last one, {@code too_many_attempts}
     *     when the checker is full
     */
    CompletableFuture<String> hash(String roomName, String pid, String password) {
        if (!setting.tryReserve("room " + roomName)) {
            throw new Refusal(ErrorCode.RATE_LIMITED, "the password was changed a moment ago; wait a few seconds");
        }
        if (!setting.tryReserve("pid " + pid)) {
            throw new Refusal(ErrorCode.RATE_LIMITED, "you changed a password a moment ago; wait a few seconds");
        }
        try {
            return run(() -> passwords.hash(password));
        } catch (RejectedExecutionException e) {
            throw busy();
        }
    }

    private static void refund(List<AttemptLimit> limits, List<String> keys) {
        for (int i = 0; i < keys.size(); i++) {
            limits.get(i).refund(keys.get(i));
        }
    }

    private static Refusal busy() {
        return new Refusal(ErrorCode.TOO_MANY_ATTEMPTS, "too many passwords are being checked right now; try again in a moment");
    }

    private <T> CompletableFuture<T> run(java.util.function.Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, executor);
    }

    /** Forgets counters that have aged out; called now and then. */
    public void prune() {
        addressAndRoom.prune();
        address.prune();
        room.prune();
        setting.prune();
    }

    /** Counters held now, over all limits (for tests and metrics). */
    public int counters() {
        return addressAndRoom.size() + address.size() + room.size() + setting.size();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
