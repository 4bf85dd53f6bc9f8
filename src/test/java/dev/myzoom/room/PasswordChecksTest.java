package dev.myzoom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myzoom.protocol.Refusal;
import dev.myzoom.support.HandClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PasswordChecksTest {

    private final HandClock clock = new HandClock(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());
    private final Passwords passwords = new Passwords();
    private final String hash = passwords.hash("right");

    private String code(Runnable check) {
        return assertThrows(Refusal.class, check::run).code().wire();
    }

    @Test
    void theRightPasswordWorksAgainOnceTheWindowHasPassed() {
        try (PasswordChecks checks = new PasswordChecks(passwords, 1, 4, clock)) {
            for (int i = 0; i < PasswordChecks.PER_ADDRESS_AND_ROOM; i++) {
                assertEquals("wrong_password", code(() -> checks.check("r", "10.0.0.1", "wrong", hash)));
            }
            assertEquals("too_many_attempts", code(() -> checks.check("r", "10.0.0.1", "right", hash)));
            clock.advance(PasswordChecks.WINDOW.plusSeconds(1));
            checks.check("r", "10.0.0.1", "right", hash);
        }
    }

    @Test
    void aRoomIsLimitedOverAllAddressesAndAnAddressOverAllRooms() {
        try (PasswordChecks checks = new PasswordChecks(passwords, 1, 4, clock)) {
            for (int i = 0; i < PasswordChecks.PER_ROOM; i++) {
                String address = "10.0.1." + i;
                assertEquals("wrong_password", code(() -> checks.check("r", address, "wrong", hash)));
            }
            assertEquals("too_many_attempts", code(() -> checks.check("r", "10.0.2.1", "wrong", hash)));
            for (int i = 0; i < PasswordChecks.PER_ADDRESS; i++) {
                String room = "own-" + i;
                assertEquals("wrong_password", code(() -> checks.check(room, "10.0.3.1", "wrong", hash)));
            }
            assertEquals("too_many_attempts", code(() -> checks.check("own-99", "10.0.3.1", "wrong", hash)));
        }
    }

    @Test
    void ipv6AddressesCountByTheirSlash64() {
        assertEquals(AttemptLimit.addressKey("2001:db8:1:2:aaaa::1"), AttemptLimit.addressKey("2001:db8:1:2:bbbb::9"));
        assertEquals("10.1.2.3", AttemptLimit.addressKey("10.1.2.3"));
        try (PasswordChecks checks = new PasswordChecks(passwords, 1, 4, clock)) {
            for (int i = 0; i < PasswordChecks.PER_ADDRESS_AND_ROOM; i++) {
                String address = "2001:db8:1:2::" + (i + 1);
                assertEquals("wrong_password", code(() -> checks.check("r", address, "wrong", hash)));
            }
            assertEquals("too_many_attempts", code(() -> checks.check("r", "2001:db8:1:2:ffff::1", "wrong", hash)));
        }
    }

    @Test
    void agedOutCountersAreForgotten() {
        try (PasswordChecks checks = new PasswordChecks(passwords, 1, 4, clock)) {
            code(() -> checks.check("r", "10.0.0.1", "wrong", hash));
            assertEquals(3, checks.counters());
            clock.advance(Duration.ofMinutes(2));
            checks.prune();
            assertEquals(0, checks.counters());
        }
    }
}
