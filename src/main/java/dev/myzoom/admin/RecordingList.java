package dev.myzoom.admin;

import dev.myzoom.recording.Recordings;
import dev.myzoom.store.RecordingRecords;
import dev.myzoom.store.StoreQueue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The admin panel's Recordings card: every recording, newest first, and deleting one. */
public final class RecordingList {
    /** The panel lists this many at most. */
    static final int SHOWN = 500;

    private final RecordingRecords records;
    private final Recordings recordings;
    private final StoreQueue store;

    public RecordingList(RecordingRecords records, Recordings recordings, StoreQueue store) {
        this.records = records;
        this.recordings = recordings;
        this.store = store;
    }

    /** The rows as the panel shows them; a file's address only once it is ready. */
    CompletableFuture<List<Map<String, Object>>> rows() {
        return store.read(() -> records.newest(SHOWN)).thenApply(rows -> rows.stream().map(RecordingList::row).toList());
    }

    private static Map<String, Object> row(RecordingRecords.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("room", r.room());
        m.put("startedBy", r.startedBy());
        m.put("stoppedBy", r.stoppedBy());
        m.put("startedAt", r.startedAt());
        m.put("stoppedAt", r.stoppedAt());
        m.put("durationMs", r.durationMs());
        m.put("bytes", r.sizeBytes());
        m.put("participants", r.participants());
        m.put("state", r.state());
        m.put("progress", r.progress());
        m.put("note", r.note());
        m.put("file", RecordingRecords.READY.equals(r.state()) ? "/recordings/" + r.id() + ".mp4" : null);
        return m;
    }

    /** Deletes a recording, files and row; false if there is none, or it is still running. */
    CompletableFuture<Boolean> delete(String id) {
        return store.write(() -> {
            try {
                return recordings.delete(id);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
