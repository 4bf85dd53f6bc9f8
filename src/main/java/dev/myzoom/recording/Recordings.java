package dev.myzoom.recording;

import dev.myzoom.concurrency.DaemonThreads;
import dev.myzoom.media.sfu.SfuRooms;
import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.RandomIds;
import dev.myzoom.protocol.Refusal;
import dev.myzoom.protocol.ServerMessage;
import dev.myzoom.room.Recorder;
import dev.myzoom.store.RecordingRecords;
import dev.myzoom.store.StoreQueue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meeting recordings, from the host's start to the file's link. While a room is recorded Janus
 * writes each publisher's tracks into the recording's raw folder; when it stops, the recording's
 * row says "processing" and a worker (one at a time, so that a long meeting's composition takes
 * one core and never the server's) makes the file with {@link Composer}, tells the host how far
 * it is, and then gives the host a signed link. Free disk space is watched while recording: below
 * the floor, recordings stop by themselves and keep what they have.
 */
public final class Recordings implements Recorder {
    private static final Logger log = LoggerFactory.getLogger(Recordings.class);
    /** Files waiting to be made at most; past that, a stopped recording is left "processing" for the next start. */
    private static final int QUEUE = 64;

    /** A recording running on this node. */
    private record Active(String id, String room, long startedAt, Set<String> participants, Listener listener) {}

    /** The settings: where files go, how much disk must stay free, and how long a host's link works. */
    public record Settings(long minFreeBytes, Duration linkLifetime) {}

    private final RecordingFiles files;
    private final RecordingRecords records;
    private final StoreQueue store;
    private final Optional<SfuRooms> sfu;
    private final Optional<Composer> composer;
    private final SignedLinks links;
    private final Settings settings;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    /** Listeners of recordings stopped but not yet made into files, for the host's news. */
    private final Map<String, Listener> waiting = new ConcurrentHashMap<>();
    /** Set once the server stops: a file cut short by that is made again at the next start, not marked failed. */
    private volatile boolean closing;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUE), DaemonThreads.named("recording-worker"));

    public Recordings(RecordingFiles files, RecordingRecords records, StoreQueue store, Optional<SfuRooms> sfu,
            Optional<Tools> tools, SignedLinks links, Settings settings, Clock clock, ScheduledExecutorService timer) {
        this.files = files;
        this.records = records;
        this.store = store;
        this.sfu = sfu;
        this.composer = tools.map(Composer::new);
        this.links = links;
        this.settings = settings;
        this.clock = clock;
        this.timer = timer;
        timer.scheduleWithFixedDelay(this::watchDisk, 2, 2, TimeUnit.SECONDS);
    }

    /** Whether this server can record: a media server and the tools to make files are there. */
    public boolean available() {
        return sfu.isPresent() && composer.isPresent();
    }

    @Override
    public String start(String room, String by, Collection<String> present, Listener listener) {
        if (!available()) {
            throw new Refusal(ErrorCode.RECORDING_UNAVAILABLE, sfu.isEmpty()
                    ? "recording needs the media server (Janus), which this server does not use"
                    : "recording needs janus-pp-rec (Debian's janus-tools) and ffmpeg on this server");
        }
        if (files.usableBytes() < settings.minFreeBytes()) {
            throw new Refusal(ErrorCode.DISK_FULL, "the server's disk is too full to record");
        }
        String id = RandomIds.hex(16);
        long now = clock.millis();
        try {
            Files.createDirectories(files.raw(id));
        } catch (IOException e) {
            throw new Refusal(ErrorCode.RECORDING_UNAVAILABLE, "the recordings folder cannot be written");
        }
        Set<String> participants = java.util.Collections.synchronizedSet(new LinkedHashSet<>(present));
        active.put(id, new Active(id, room, now, participants, listener));
        store.write(() -> {
            records.started(id, room, by, now, List.copyOf(participants));
            return null;
        }).exceptionally(failure -> {
            log.warn("recording {} of {}: its row could not be stored: {}", id, room, failure.toString());
            return null;
        });
        // Asynchronously, even when Janus fails at once: start runs under the room's lock, and the
        // room must hold the recording before it can hear that the recording stopped.
        sfu.get().record(room, Optional.of(files.raw(id).toString())).whenCompleteAsync((done, failure) -> {
            if (failure != null) {
                log.warn("recording {} of {}: the media server did not start it: {}", id, room, failure.toString());
                stopItself(id, "media_failed");
            } else {
                log.info("event=recording-started id={} room={}", id, room);
            }
        }, timer);
        return id;
    }

    @Override
    public boolean adopt(String recording, String room, Listener listener) {
        if (active.containsKey(recording)) {
            return true;
        }
        Optional<RecordingRecords.Row> row;
        try {
            row = store.read(() -> records.find(recording)).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("recording {} of {}: could not read its row to take it over: {}", recording, room, e.toString());
            return false;
        }
        if (row.isEmpty() || !RecordingRecords.RECORDING.equals(row.get().state())) {
            return false;
        }
        Set<String> participants = java.util.Collections.synchronizedSet(new LinkedHashSet<>(row.get().participants()));
        active.put(recording, new Active(recording, room, row.get().startedAt(), participants, listener));
        log.info("event=recording-adopted id={} room={}", recording, room);
        return true;
    }

    @Override
    public void joined(String recording, String nick) {
        Active a = active.get(recording);
        if (a != null) {
            a.participants().add(nick);
        }
    }

    @Override
    public void stop(String recording, String by) {
        Active a = active.remove(recording);
        if (a == null) {
            return;
        }
        long stoppedAt = clock.millis();
        List<String> participants;
        synchronized (a.participants()) {
            participants = new ArrayList<>(a.participants());
        }
        waiting.put(a.id(), a.listener());
        // Janus closes the track files as it answers; the file is made from what they hold then.
        sfu.get().record(a.room(), Optional.empty())
                .exceptionally(failure -> {
                    log.warn("recording {}: the media server did not stop it ({}); its tracks end where they end", a.id(),
                            failure.toString());
                    return null;
                })
                .thenCompose(done -> store.write(() -> {
                    records.stopped(a.id(), by, stoppedAt, participants, null);
                    return null;
                }))
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        log.warn("recording {}: could not be marked stopped: {}; it is made at the next start", a.id(), failure.toString());
                        return;
                    }
                    log.info("event=recording-stopped id={} room={} seconds={}", a.id(), a.room(), (stoppedAt - a.startedAt()) / 1000);
                    queue(a.id());
                });
    }

    /** Stops a recording that cannot go on, and tells its room why; what was recorded is kept and made into a file. */
    private void stopItself(String id, String reason) {
        Active a = active.get(id);
        if (a == null) {
            return;
        }
        log.warn("event=recording-stopped-itself id={} room={} reason={}", id, a.room(), reason);
        a.listener().stoppedItself(id, reason);
        stop(id, null);
    }

    private void watchDisk() {
        if (active.isEmpty()) {
            return;
        }
        long free = files.usableBytes();
        if (free < settings.minFreeBytes()) {
            log.warn("only {} MB free for recordings, under the floor of {} MB: recordings stop", free >> 20,
                    settings.minFreeBytes() >> 20);
            List.copyOf(active.keySet()).forEach(id -> stopItself(id, "disk_full"));
        }
    }

    /**
     * At start-up: recordings a stopped server left to be made are made now. Recordings it was
     * still making when it stopped end where their tracks end (only on a lone server: in a
     * cluster another node may be recording that room now).
     */
    public void resumeUnfinished(boolean alone) {
        store.read(() -> {
            List<RecordingRecords.Row> rows = new ArrayList<>(records.inState(RecordingRecords.PROCESSING));
            if (alone) {
                rows.addAll(records.inState(RecordingRecords.RECORDING));
            }
            return rows;
        }).thenAccept(rows -> rows.forEach(row -> {
            if (RecordingRecords.RECORDING.equals(row.state())) {
                long end = lastWrite(row.id()).orElse(row.startedAt());
                store.write(() -> {
                    records.stopped(row.id(), null, end, row.participants(), "the server stopped while recording");
                    return null;
                }).thenRun(() -> queue(row.id()));
            } else {
                queue(row.id());
            }
        })).exceptionally(failure -> {
            log.warn("could not look for unfinished recordings: {}", failure.toString());
            return null;
        });
    }

    private Optional<Long> lastWrite(String id) {
        try (var all = Files.list(files.raw(id))) {
            return all.map(p -> p.toFile().lastModified()).max(Long::compare);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void queue(String id) {
        try {
            worker.execute(() -> make(id));
        } catch (RejectedExecutionException e) {
            log.warn("recording {}: {} files are waiting to be made; this one is made at the next start", id, QUEUE);
        }
    }

    /** Makes the recording's file; on success its raw tracks go, on failure they stay. */
    private void make(String id) {
        Listener listener = waiting.remove(id);
        Optional<RecordingRecords.Row> found;
        try {
            found = store.read(() -> records.find(id)).join();
        } catch (RuntimeException e) {
            log.warn("recording {}: its row cannot be read ({}); it is made at the next start", id, e.toString());
            return;
        }
        if (found.isEmpty() || !RecordingRecords.PROCESSING.equals(found.get().state())) {
            return;
        }
        RecordingRecords.Row row = found.get();
        long duration = Math.max(0, (row.stoppedAt() == null ? row.startedAt() : row.stoppedAt()) - row.startedAt());
        long began = System.nanoTime();
        int[] said = {-100};
        try {
            Composer.Made made = composer.orElseThrow().compose(files.raw(id), row.startedAt(), duration, files.partial(id), percent -> {
                if (percent - said[0] >= 5) {
                    said[0] = percent;
                    store.write(() -> {
                        records.progress(id, percent);
                        return null;
                    });
                    if (listener != null) {
                        listener.toHost(new ServerMessage.RecordingProgress(id, percent));
                    }
                }
            });
            Files.move(files.partial(id), files.file(id), StandardCopyOption.ATOMIC_MOVE);
            long size = Files.size(files.file(id));
            store.write(() -> {
                records.ready(id, made.durationMs(), size);
                return null;
            }).join();
            files.deleteRaw(id);
            log.info("event=recording-ready id={} room={} seconds={} bytes={} videos={} voices={} took-ms={}", id, row.room(),
                    made.durationMs() / 1000, size, made.videoTracks(), made.audioTracks(), (System.nanoTime() - began) / 1_000_000);
            if (listener != null) {
                long expires = clock.millis() + settings.linkLifetime().toMillis();
                listener.toHost(new ServerMessage.RecordingReady(id, links.path(id, expires), expires, made.durationMs(), size, null));
            }
        } catch (IOException | RuntimeException e) {
            if (closing) {
                log.info("recording {}: the server stops; its file is made at the next start", id);
                return;
            }
            log.warn("recording {} of {}: its file could not be made: {}; its raw tracks are kept in {}", id, row.room(), e.toString(),
                    files.raw(id));
            try {
                Files.deleteIfExists(files.partial(id));
            } catch (IOException ignored) {
                // The next start or a delete takes it.
            }
            store.write(() -> {
                records.failed(id, String.valueOf(e.getMessage()));
                return null;
            });
            if (listener != null) {
                listener.toHost(new ServerMessage.RecordingReady(id, null, 0, duration, 0, "the file could not be made"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes a recording: its row and all its files. A recording still running is not deleted. */
    public boolean delete(String id) throws IOException {
        if (active.containsKey(id)) {
            return false;
        }
        files.delete(id);
        return records.delete(id);
    }

    /**
     * Deletes up to {@code limit} recordings started before {@code cutoff}, files first; returns
     * how many rows went (for {@code Retention}, on the store's writer).
     */
    public int deleteOlderThan(long cutoff, int limit) {
        int deleted = 0;
        for (String id : records.olderThan(cutoff, limit)) {
            try {
                files.delete(id);
                deleted += records.delete(id) ? 1 : 0;
            } catch (IOException e) {
                log.warn("recording {}: its files could not be deleted ({}); kept for the next run", id, e.toString());
            }
        }
        return deleted;
    }

    public void close() {
        closing = true;
        worker.shutdownNow();
    }
}
