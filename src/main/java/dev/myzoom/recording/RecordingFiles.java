package dev.myzoom.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where recordings live under RECORDINGS_DIR: {@code raw/<id>/}, the tracks Janus writes (the
 * Janus host must see the same folder at the same path), and {@code <id>.mp4}, the finished file,
 * which appears only complete: it is written as {@code <id>.mp4.part} and then renamed.
 */
public record RecordingFiles(Path root) {
    public RecordingFiles {
        root = root.toAbsolutePath().normalize();
    }

    public Path raw(String id) {
        return root.resolve("raw").resolve(id);
    }

    public Path file(String id) {
        return root.resolve(id + ".mp4");
    }

    Path partial(String id) {
        return root.resolve(id + ".mp4.part");
    }

    /** Bytes free for recordings now. */
    public long usableBytes() {
        try {
            Files.createDirectories(root);
            return Files.getFileStore(root).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Deletes the recording's raw tracks. */
    void deleteRaw(String id) throws IOException {
        Path raw = raw(id);
        if (!Files.exists(raw)) {
            return;
        }
        try (Stream<Path> all = Files.walk(raw)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Deletes everything of the recording: its file, a half-made one, and its raw tracks. */
    public void delete(String id) throws IOException {
        Files.deleteIfExists(file(id));
        Files.deleteIfExists(partial(id));
        deleteRaw(id);
    }
}
