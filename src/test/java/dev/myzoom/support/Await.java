package dev.myzoom.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for something that happens elsewhere (a process that starts, a row that is written in
 * the background): poll until it holds, and fail with a message that says what never happened.
 */
public final class Await {
    private Await() {
    }

    /**
     * Polls {@code done} every {@code every} until it is true, for at most {@code patience}.
     *
     * @param what what was awaited, for the failure, with any detail (a log) computed only then
     */
    public static void until(BooleanSupplier done, Duration patience, Duration every, Supplier<String> what) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting: " + what.get());
            }
        }
        fail("within " + patience + ", " + what.get());
    }
}
