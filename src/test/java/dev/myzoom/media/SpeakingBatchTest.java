package dev.myzoom.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.media.sfu.SpeakingBatch;
import dev.myzoom.protocol.ServerMessage;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a page is told of who talks, whatever Janus's events do. */
class SpeakingBatchTest {
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final List<List<String>> sent = new CopyOnWriteArrayList<>();
    final SpeakingBatch batch = new SpeakingBatch(timer, Duration.ofMillis(100), m -> sent.add(((ServerMessage.Speaking) m).talking()));

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void changesInOneWindowGoOutAsOneSetOfWhoTalksNow() throws InterruptedException {
        batch.changed("ana", true);
        batch.changed("ben", true);
        batch.changed("cy", true);
        batch.changed("ben", false);
        Thread.sleep(300);
        assertEquals(List.of(List.of("ana", "cy")), sent);
        batch.changed("ana", false);
        batch.changed("cy", false);
        Thread.sleep(300);
        assertEquals(List.of(List.of("ana", "cy"), List.of()), sent, "when everyone stops, an empty set says so");
    }

    @Test
    void aVoiceThatStartsAndStopsInsideAWindowIsNeverSentNorIsAnUnchangedSet() throws InterruptedException {
        batch.changed("ana", true);
        Thread.sleep(300);
        batch.changed("ben", true);
        batch.changed("ben", false);
        batch.changed("ana", true);
        Thread.sleep(300);
        assertEquals(List.of(List.of("ana")), sent);
    }

    @Test
    void fiftyNoisyMicrophonesCostAPageAFewMessagesASecondNotOnePerChange() throws InterruptedException {
        // Every 10 ms for 2 s, ten of 50 people's talk detection says talking or not at random:
        // what a room of fifty open microphones in a noisy place could make Janus say.
        Random random = new Random(7);
        int changes = 0;
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10; i++) {
                batch.changed("p" + random.nextInt(50), random.nextBoolean());
                changes++;
            }
            Thread.sleep(10);
        }
        Thread.sleep(300);
        System.out.printf("speaking: %d changes from Janus in 2 s became %d messages to the page (window 100 ms)%n", changes, sent.size());
        assertTrue(sent.size() <= 2000 / 100 + 2, "at most one message per window: " + sent.size() + " for " + changes + " changes");
        assertTrue(sent.size() >= 5, "the set still goes out while it changes: " + sent.size());
    }

    @Test
    void nothingGoesOutOnceClosed() throws InterruptedException {
        batch.changed("ana", true);
        batch.close();
        Thread.sleep(300);
        assertEquals(List.of(), sent);
    }
}
