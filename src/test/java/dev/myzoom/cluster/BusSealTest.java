package dev.myzoom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.support.HandClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The bus's signatures and the throttled warning about forgeries, without Redis. */
class BusSealTest {
    private static final String SECRET = "sixteen or more characters";
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void whatOneNodeSealsAnotherOpensOnThatChannelOnly() {
        BusSeal sender = new BusSeal(SECRET, "aaaa", NOW);
        BusSeal receiver = new BusSeal(SECRET, "bbbb", NOW);
        String sealed = sender.seal("myzoom:to:bbbb", "{\"kind\":\"gone\",\"pid\":\"p 1\"}");
        BusSeal.Opened opened = receiver.open("myzoom:to:bbbb", sealed);
        assertNull(opened.refusal());
        assertEquals("aaaa", opened.from());
        assertEquals("{\"kind\":\"gone\",\"pid\":\"p 1\"}", opened.body());

        assertEquals("bad signature", receiver.open("myzoom:to:cccc", sealed).refusal());
        assertEquals("bad signature", receiver.open("myzoom:to:bbbb", "cccc" + sealed.substring(4)).refusal());
        assertEquals("bad signature", receiver.open("myzoom:to:bbbb", sealed.replace("p 1", "p 2")).refusal());
        assertEquals("bad signature", new BusSeal("another secret of some length", "bbbb", NOW)
                .open("myzoom:to:bbbb", sealed).refusal());
        assertEquals("unsigned", receiver.open("myzoom:to:bbbb", "aaaa {\"kind\":\"gone\",\"pid\":\"p 1\"}").refusal());
        assertEquals("unsigned", receiver.open("myzoom:to:bbbb", "").refusal());
    }

    @Test
    void aMessageOlderOrNewerThanAMinuteIsRefused() {
        BusSeal receiver = new BusSeal(SECRET, "bbbb", NOW);
        for (Duration shift : new Duration[] {Duration.ofSeconds(-61), Duration.ofSeconds(61)}) {
            String sealed = new BusSeal(SECRET, "aaaa", Clock.offset(NOW, shift)).seal("myzoom:all", "{}");
            assertEquals("too old", receiver.open("myzoom:all", sealed).refusal());
        }
        String recent = new BusSeal(SECRET, "aaaa", Clock.offset(NOW, Duration.ofSeconds(-30))).seal("myzoom:all", "{}");
        assertNull(receiver.open("myzoom:all", recent).refusal());
    }

    @Test
    void dropsAreLoggedOncePerMinutePerReason() {
        HandClock clock = new HandClock(1_000_000);
        DropLog drops = new DropLog(clock);
        assertTrue(drops.dropped("unsigned", "myzoom:all", "aaaa"));
        assertTrue(drops.dropped("bad signature", "myzoom:all", "x\nevent=forged"));
        for (int i = 0; i < 1000; i++) {
            assertFalse(drops.dropped("unsigned", "myzoom:all", "aaaa"));
        }
        clock.advance(Duration.ofSeconds(59));
        assertFalse(drops.dropped("unsigned", "myzoom:all", "aaaa"));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(drops.dropped("unsigned", "myzoom:all", "aaaa"));
        assertFalse(drops.dropped("unsigned", "myzoom:all", "aaaa"));
    }

}
