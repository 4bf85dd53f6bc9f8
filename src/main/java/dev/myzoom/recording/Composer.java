package dev.myzoom.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * Makes one file of a recording's raw tracks: each {@code .mjr} Janus wrote becomes a media file
 * ({@code janus-pp-rec}), then ffmpeg lays the pictures out over time ({@link Timeline}) and
 * mixes every voice into one track. The result is MP4 (H.264 and AAC, the moov atom first), which
 * every browser plays and can seek before it has all of it. Each track starts where its first
 * packet came, counted from the recording's start, so late comers and the parts before and after
 * a media server's restart fall where they happened.
 */
public final class Composer {
    /** Frames per second of the composed video: a meeting's cameras seldom need more. */
    static final int FPS = 15;
    private static final String BACKGROUND = "0x1f2328";
    /** Half the gap between two pictures, in pixels (even, for 4:2:0). */
    private static final int GUTTER = 4;

    private final Tools tools;
    private final ObjectMapper json = new ObjectMapper();

    public Composer(Tools tools) {
        this.tools = tools;
    }

    /** A raw track: its file, whether it is video, whether it is a screen, when its first packet came (epoch µs). */
    record Track(Path mjr, boolean video, boolean screen, long firstPacketMicros) {}

    /** A voice: its input's index, and how far into the recording it starts. */
    record Voice(int input, long delayMs) {}

    /** What was made: the file's length in ms. */
    public record Made(long durationMs, int videoTracks, int audioTracks) {}

    /**
     * Composes the tracks in {@code raw} into {@code out}.
     *
     * @param startedAt the recording's start (epoch ms)
     * @param durationMs the recording's length: the file is exactly this long
     * @param progress told the percentage done now and then
     */
    public Made compose(Path raw, long startedAt, long durationMs, Path out, IntConsumer progress)
            throws IOException, InterruptedException {
        Path work = raw.resolve("work");
        Files.createDirectories(work);
        Path log = raw.resolve("compose.log");
        List<Track> tracks = tracks(raw, log);
        List<String> inputs = new ArrayList<>();
        List<Timeline.Picture> pictures = new ArrayList<>();
        List<Voice> voices = new ArrayList<>();
        int done = 0;
        for (Track track : tracks) {
            String name = track.mjr().getFileName().toString().replaceAll("\\.mjr$", "");
            Path media = work.resolve(name + (track.video() ? ".webm" : ".opus"));
            try {
                run(List.of(tools.janusPpRec().toString(), track.mjr().toString(), media.toString()), log, 600);
            } catch (IOException e) {
                // A track cut short (its Janus died) or empty: the others still make the file.
                Files.writeString(log, "skipped " + track.mjr() + ": " + e.getMessage() + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                continue;
            } finally {
                progress.accept(20 * ++done / Math.max(1, tracks.size()));
            }
            long lengthMs = lengthMs(media, log);
            if (lengthMs <= 0) {
                continue;
            }
            long startMs = track.firstPacketMicros() / 1000 - startedAt;
            int input = inputs.size();
            inputs.add(media.toString());
            if (track.video()) {
                pictures.add(new Timeline.Picture(input, startMs, startMs + lengthMs, track.screen()));
            } else {
                voices.add(new Voice(input, Math.max(0, startMs)));
            }
        }
        List<String> command = new ArrayList<>(List.of(tools.ffmpeg().toString(), "-y", "-nostdin", "-loglevel", "error",
                "-progress", "pipe:1", "-nostats"));
        for (String input : inputs) {
            command.addAll(List.of("-i", input));
        }
        String filter = filter(pictures, voices, durationMs);
        command.addAll(List.of("-filter_complex", filter, "-map", "[vout]", "-map", "[aout]",
                "-t", seconds(durationMs), "-r", String.valueOf(FPS),
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "26", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "96k", "-ac", "2",
                "-movflags", "+faststart", "-f", "mp4", out.toString()));
        Files.writeString(log, "filter: " + filter + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        Process ffmpeg = start(command, log);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(ffmpeg.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                // out_time_us is where the output is, in µs (out_time_ms is µs too, a known misnomer).
                if (line.startsWith("out_time_us=") && !line.endsWith("N/A") && durationMs > 0) {
                    long at = Long.parseLong(line.substring("out_time_us=".length())) / 1000;
                    progress.accept(20 + (int) Math.min(79, 80 * at / durationMs));
                }
            }
        }
        finish(ffmpeg, command, log, Math.max(600, 20 * durationMs / 1000));
        return new Made(durationMs, pictures.size(), voices.size());
    }

    /** The raw tracks in {@code raw}, with what their headers say; data channels are left out. */
    List<Track> tracks(Path raw, Path log) throws IOException, InterruptedException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(raw)) {
            files = listed.filter(p -> p.getFileName().toString().endsWith(".mjr")).sorted().toList();
        }
        List<Track> tracks = new ArrayList<>();
        for (Path mjr : files) {
            JsonNode header = header(mjr, log);
            String kind = header.path("t").asText();
            if (!"v".equals(kind) && !"a".equals(kind)) {
                continue;
            }
            long first = header.path("u").asLong(header.path("s").asLong());
            // Janus names a file after its publisher: a screen's publisher id ends in -s.
            boolean screen = mjr.getFileName().toString().matches(".*-user-.*-s-\\d+-(video|audio)-\\d+\\.mjr");
            tracks.add(new Track(mjr, "v".equals(kind), screen, first));
        }
        return tracks;
    }

    private JsonNode header(Path mjr, Path log) throws IOException, InterruptedException {
        Process p = start(List.of(tools.janusPpRec().toString(), "--json", mjr.toString()), log);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        finish(p, List.of("janus-pp-rec --json", mjr.toString()), log, 60);
        int brace = out.indexOf('{');
        return brace < 0 ? json.createObjectNode() : json.readTree(out.substring(brace));
    }

    private long lengthMs(Path media, Path log) throws IOException, InterruptedException {
        if (!Files.isRegularFile(media) || Files.size(media) == 0) {
            return 0;
        }
        Process p = start(List.of(tools.ffprobe().toString(), "-v", "error", "-show_entries", "format=duration",
                "-of", "default=noprint_wrappers=1:nokey=1", media.toString()), log);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        finish(p, List.of("ffprobe", media.toString()), log, 60);
        try {
            return Math.round(Double.parseDouble(out) * 1000);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The filter graph: a background the recording's length, each picture overlaid in its cell for
     * each span it is on (a split copy per span, scaled to that span's cell), and the voices
     * delayed to where they started and mixed, padded with silence to the end.
     */
    static String filter(List<Timeline.Picture> pictures, List<Voice> voices, long durationMs) {
        StringBuilder g = new StringBuilder();
        g.append("color=c=").append(BACKGROUND).append(":s=").append(Layout.WIDTH).append('x').append(Layout.HEIGHT)
                .append(":r=").append(FPS).append(":d=").append(seconds(durationMs)).append(",format=yuv420p[bg0]");
        List<Timeline.Span> spans = Timeline.spans(pictures, durationMs);
        // How many spans show each picture: that many copies of it.
        java.util.Map<Integer, Integer> copies = new java.util.HashMap<>();
        spans.forEach(span -> span.placed().forEach(p -> copies.merge(p.picture().input(), 1, Integer::sum)));
        for (Timeline.Picture picture : pictures) {
            int n = copies.getOrDefault(picture.input(), 0);
            int i = picture.input();
            g.append(";[").append(i).append(":v]setpts=PTS-STARTPTS+").append(seconds(picture.startMs())).append("/TB");
            if (n == 0) {
                g.append(",nullsink");
                continue;
            }
            g.append(",split=").append(n);
            for (int k = 0; k < n; k++) {
                g.append("[p").append(i).append('_').append(k).append(']');
            }
        }
        java.util.Map<Integer, Integer> used = new java.util.HashMap<>();
        int layer = 0;
        for (Timeline.Span span : spans) {
            for (Timeline.Placed placed : span.placed()) {
                int i = placed.picture().input();
                int k = used.merge(i, 1, Integer::sum) - 1;
                // A thin gutter of background between pictures, as between the page's tiles.
                Layout.Cell c = inset(placed.cell(), GUTTER);
                g.append(";[p").append(i).append('_').append(k).append("]scale=").append(c.w()).append(':').append(c.h())
                        .append(":force_original_aspect_ratio=decrease,pad=").append(c.w()).append(':').append(c.h())
                        .append(":(ow-iw)/2:(oh-ih)/2:color=").append(BACKGROUND).append("[c").append(layer).append(']');
                g.append(";[bg").append(layer).append("][c").append(layer).append("]overlay=").append(c.x()).append(':').append(c.y())
                        .append(":eof_action=pass:enable='between(t,").append(seconds(span.fromMs())).append(',')
                        .append(seconds(span.toMs())).append(")'[bg").append(layer + 1).append(']');
                layer++;
            }
        }
        g.append(";[bg").append(layer).append("]null[vout]");
        if (voices.isEmpty()) {
            g.append(";anullsrc=r=48000:cl=stereo,atrim=0:").append(seconds(durationMs)).append("[aout]");
        } else {
            for (Voice voice : voices) {
                g.append(";[").append(voice.input()).append(":a]aresample=48000,adelay=").append(voice.delayMs()).append(":all=1[a")
                        .append(voice.input()).append(']');
            }
            g.append(';');
            for (Voice voice : voices) {
                g.append("[a").append(voice.input()).append(']');
            }
            g.append("amix=inputs=").append(voices.size()).append(":duration=longest:normalize=0,apad[aout]");
        }
        return g.toString();
    }

    private static Layout.Cell inset(Layout.Cell c, int by) {
        return new Layout.Cell(c.x() + by, c.y() + by, c.w() - 2 * by, c.h() - 2 * by);
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }

    private static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static void run(List<String> command, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        finish(p, command, log, timeoutSeconds);
    }

    private static void finish(Process p, List<String> command, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " took longer than " + timeoutSeconds + " s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IOException(Path.of(command.get(0)).getFileName() + " failed (exit " + p.exitValue() + "); see " + log);
        }
    }
}
