package dev.myzoom.recording;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The programs a recording's file is made with, from Debian's packages: {@code janus-pp-rec}
 * (janus-tools) turns Janus's raw tracks into media files, {@code ffmpeg} and {@code ffprobe}
 * (ffmpeg) compose and measure them.
 */
public record Tools(Path janusPpRec, Path ffmpeg, Path ffprobe) {
    /** The three programs in {@code /usr/bin}, if all are there. */
    public static Optional<Tools> find() {
        Tools debian = new Tools(Path.of("/usr/bin/janus-pp-rec"), Path.of("/usr/bin/ffmpeg"), Path.of("/usr/bin/ffprobe"));
        return Files.isExecutable(debian.janusPpRec()) && Files.isExecutable(debian.ffmpeg()) && Files.isExecutable(debian.ffprobe())
                ? Optional.of(debian) : Optional.empty();
    }
}
