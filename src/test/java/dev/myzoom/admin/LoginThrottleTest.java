package dev.myzoom.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.support.HandClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The admin login's throttle, on a clock the test moves. */
class LoginThrottleTest {
    private final HandClock clock = new HandClock(1_000_000);
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void anAddressThatFailedFiveTimesWaitsForTheMinuteAndOthersDoNot() {
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.empty(), throttle.wait("10.0.0.1"));
            throttle.failed("10.0.0.1");
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(Optional.of(Duration.ofSeconds(55)), throttle.wait("10.0.0.1"));
        assertEquals(Optional.empty(), throttle.wait("10.0.0.2"));
        clock.advance(Duration.ofSeconds(55));
        assertEquals(Optional.empty(), throttle.wait("10.0.0.1"));
    }

    @Test
    void pastTwentyFailuresInAllFailingAddressesWaitTwiceAsLongEachTime() {
        for (int i = 0; i < LoginThrottle.ACCOUNT_FREE; i++) {
            throttle.failed("10.1.0." + i);
        }
        assertEquals(Optional.empty(), throttle.wait("10.1.0.0"));
        throttle.failed("10.1.0.0");
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.wait("10.1.0.0"));
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.wait("10.1.0.7"), "every address that failed");
        throttle.failed("10.1.0.9");
        throttle.failed("10.1.0.9");
        assertEquals(Optional.of(Duration.ofSeconds(4)), throttle.wait("10.1.0.9"));
        for (int i = 0; i < 40; i++) {
            throttle.failed("10.2.0." + i);
        }
        assertEquals(Optional.of(LoginThrottle.MAX_WAIT), throttle.wait("10.2.0.39"));
        assertEquals(Optional.empty(), throttle.wait("192.0.2.1"), "an address that never failed is let in");

        throttle.succeeded("10.2.0.39");
        assertEquals(Optional.empty(), throttle.wait("10.2.0.39"), "the right password forgets that address");
        clock.advance(LoginThrottle.MEMORY.plusSeconds(1));
        assertEquals(Optional.empty(), throttle.wait("10.2.0.38"), "failures are forgotten after a while");
        throttle.failed("10.2.0.38");
        assertTrue(throttle.wait("10.2.0.38").isEmpty(), "one new failure after a quiet spell costs nothing");
    }

}
