package dev.myzoom.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.store.Database;
import dev.myzoom.store.RecordingRecords;
import dev.myzoom.store.Retention;
import dev.myzoom.store.StoreQueue;
import dev.myzoom.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RECORDING_RETENTION_DAYS: old recordings go, row and files, on H2 and on PostgreSQL. */
class RecordingRetentionTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.myzoom.support.TestDatabase#kinds")
    void oldRecordingsAreDeletedWithTheirFilesAndNewOnesStay(String kind) throws Exception {
        long now = Instant.parse("2026-12-03T12:00:00Z").toEpochMilli();
        long day = Duration.ofDays(1).toMillis();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (TestDatabase db = new TestDatabase();
                StoreQueue queue = new StoreQueue(100, Duration.ofSeconds(5), new SimpleMeterRegistry(), Runnable::run)) {
            Database database = db.open(kind);
            RecordingRecords records = new RecordingRecords(database.jdbi());
            RecordingFiles files = new RecordingFiles(dir);
            Recordings recordings = new Recordings(files, records, queue, Optional.empty(), Optional.empty(),
                    new SignedLinks(new byte[32]), new Recordings.Settings(0, Duration.ofHours(1)),
                    Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC), timer);
            // Three old ones (one failed, whose raw tracks are all that is left), one recent.
            for (String id : List.of("a".repeat(32), "b".repeat(32), "c".repeat(32), "d".repeat(32))) {
                long started = id.startsWith("d") ? now - 2 * day : now - 40 * day;
                records.started(id, "room", "Ana", started, List.of("Ana"));
                records.stopped(id, "Ana", started + 60_000, List.of("Ana", "Ben"), null);
                if (id.startsWith("c")) {
                    records.failed(id, "ffmpeg failed");
                    Files.createDirectories(files.raw(id));
                    Files.writeString(files.raw(id).resolve("videoroom-x-user-y-1-video-0.mjr"), "raw");
                } else {
                    records.ready(id, 60_000, 3);
                    Files.writeString(files.file(id), "mp4");
                }
            }

            // Batches of 2, so that three old ones take two statements.
            Retention retention = new Retention(queue, Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC), 2, List.of(
                    new Retention.Rule("recordings", Duration.ofDays(30), recordings::deleteOlderThan)));
            Map<String, Long> deleted = retention.run().join();

            assertEquals(3L, deleted.get("recordings"));
            assertEquals(List.of("d".repeat(32)), records.newest(10).stream().map(RecordingRecords.Row::id).toList());
            assertFalse(Files.exists(files.file("a".repeat(32))));
            assertFalse(Files.exists(files.raw("c".repeat(32))));
            assertTrue(Files.exists(files.file("d".repeat(32))));
            recordings.close();
        } finally {
            timer.shutdownNow();
        }
    }
}
