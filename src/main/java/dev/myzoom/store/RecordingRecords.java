package dev.myzoom.store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The recordings table: one row per recording, kept in step with its file by the recorder. A
 * recording goes {@code recording} → {@code processing} → {@code ready} (or {@code failed}, its
 * raw tracks kept); see V6__recordings.sql.
 */
public final class RecordingRecords {
    public static final String RECORDING = "recording";
    public static final String PROCESSING = "processing";
    public static final String READY = "ready";
    public static final String FAILED = "failed";

    /** One recording as stored. {@code stoppedBy} is null when it stopped by itself or with the room. */
    public record Row(String id, String room, String startedBy, String stoppedBy, long startedAt, Long stoppedAt,
            Long durationMs, Long sizeBytes, List<String> participants, String state, int progress, String note) {}

    private static final String COLUMNS = "id, room, started_by, stopped_by, started_at, stopped_at, duration_ms, size_bytes, "
            + "participants, state, progress, note";

    private final Jdbi jdbi;

    public RecordingRecords(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void started(String id, String room, String by, long at, List<String> participants) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO recordings (id, room, started_by, started_at, participants, state, progress) "
                        + "VALUES (:id, :room, :by, :at, :participants, :state, 0)")
                .bind("id", id).bind("room", room).bind("by", by).bind("at", at)
                .bind("participants", String.join("\n", participants)).bind("state", RECORDING).execute());
    }

    /** The recording stopped: its file is to be made. */
    public void stopped(String id, String by, long at, List<String> participants, String note) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE recordings SET stopped_by = :by, stopped_at = :at, participants = :participants, "
                        + "state = :state, note = :note WHERE id = :id")
                .bind("id", id).bind("by", by).bind("at", at).bind("participants", String.join("\n", participants))
                .bind("state", PROCESSING).bind("note", note).execute());
    }

    public void progress(String id, int percent) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE recordings SET progress = :p WHERE id = :id AND state = :state")
                .bind("id", id).bind("p", percent).bind("state", PROCESSING).execute());
    }

    /** The file is complete and in place. */
    public void ready(String id, long durationMs, long sizeBytes) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE recordings SET state = :state, progress = 100, duration_ms = :d, size_bytes = :s "
                        + "WHERE id = :id")
                .bind("id", id).bind("state", READY).bind("d", durationMs).bind("s", sizeBytes).execute());
    }

    public void failed(String id, String why) {
        String note = why.length() > 400 ? why.substring(0, 400) : why;
        jdbi.useHandle(h -> h.createUpdate("UPDATE recordings SET state = :state, note = :note WHERE id = :id")
                .bind("id", id).bind("state", FAILED).bind("note", note).execute());
    }

    public Optional<Row> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM recordings WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne());
    }

    /** The newest {@code limit} recordings, newest first. */
    public List<Row> newest(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM recordings ORDER BY started_at DESC LIMIT :limit")
                .bind("limit", limit).map((rs, ctx) -> row(rs)).list());
    }

    /** Recordings in a state, oldest first: at start-up, those a stopped server left unfinished. */
    public List<Row> inState(String state) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM recordings WHERE state = :state ORDER BY started_at")
                .bind("state", state).map((rs, ctx) -> row(rs)).list());
    }

    /** Whether the room is being recorded now (on whichever node holds it). */
    public boolean recordingNow(String room) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM recordings WHERE room = :room AND state = :state")
                .bind("room", room).bind("state", RECORDING).mapTo(Integer.class).one()) > 0;
    }

    /** Up to {@code limit} ids of recordings started before {@code cutoff} and no longer recording. */
    public List<String> olderThan(long cutoff, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM recordings WHERE started_at < :cutoff AND state <> :state "
                        + "ORDER BY started_at LIMIT :limit")
                .bind("cutoff", cutoff).bind("state", RECORDING).bind("limit", limit).mapTo(String.class).list());
    }

    public boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM recordings WHERE id = :id").bind("id", id).execute()) > 0;
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        String participants = rs.getString("participants");
        return new Row(rs.getString("id"), rs.getString("room"), rs.getString("started_by"), rs.getString("stopped_by"),
                rs.getLong("started_at"), (Long) rs.getObject("stopped_at", Long.class), (Long) rs.getObject("duration_ms", Long.class),
                (Long) rs.getObject("size_bytes", Long.class),
                participants.isEmpty() ? List.of() : Arrays.asList(participants.split("\n")), rs.getString("state"),
                rs.getInt("progress"), rs.getString("note"));
    }
}
