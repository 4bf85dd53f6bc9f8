package dev.myzoom.recording;

import dev.myzoom.store.RecordingRecords;
import dev.myzoom.store.StoreQueue;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The recordings' HTTP side: a finished file, for a signed link or the admin's session (with
 * ranges, so a {@code <video>} can seek), and whether a room is being recorded now, which the
 * pre-join screen tells a newcomer before they join.
 */
public final class RecordingRoutes {
    private static final Pattern FILE = Pattern.compile("([0-9a-f]{32})\\.mp4");

    private final RecordingFiles files;
    private final RecordingRecords records;
    private final StoreQueue store;
    private final SignedLinks links;
    private final Predicate<Context> admin;
    private final Clock clock;

    /** @param admin whether a request comes with an admin session */
    public RecordingRoutes(RecordingFiles files, RecordingRecords records, StoreQueue store, SignedLinks links,
            Predicate<Context> admin, Clock clock) {
        this.files = files;
        this.records = records;
        this.store = store;
        this.links = links;
        this.admin = admin;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/recordings/{file}", this::file);
        routes.get("/api/rooms/recording", ctx -> {
            String room = ctx.queryParam("room");
            if (room == null || room.isBlank() || room.length() > 200) {
                ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "invalid_room", "message", "give ?room=NAME"));
                return;
            }
            boolean recording = store.read(() -> records.recordingNow(room)).join();
            ctx.header("Cache-Control", "no-store").json(Map.of("room", room, "recording", recording));
        });
    }

    private void file(Context ctx) throws IOException {
        var name = FILE.matcher(ctx.pathParam("file"));
        if (!name.matches()) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "not_found"));
            return;
        }
        String id = name.group(1);
        boolean signed = links.valid(id, ctx.queryParam("expires"), ctx.queryParam("sig"), clock.millis());
        if (!signed && !admin.test(ctx)) {
            ctx.status(HttpStatus.FORBIDDEN).json(Map.of("error", "forbidden", "message",
                    ctx.queryParam("sig") == null ? "a recording needs a signed link or the admin's login"
                            : "this link is wrong or has expired; ask the host or the admin for a new one"));
            return;
        }
        var file = files.file(id);
        if (!Files.isRegularFile(file)) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "not_found", "message", "no such recording, or it is not ready yet"));
            return;
        }
        ctx.header("Cache-Control", "private, no-store");
        if (ctx.queryParam("download") != null) {
            ctx.header("Content-Disposition", "attachment; filename=\"recording-" + id + ".mp4\"");
        }
        InputStream in = Files.newInputStream(file);
        ctx.writeSeekableStream(in, "video/mp4", Files.size(file));
    }
}
