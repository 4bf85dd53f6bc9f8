package dev.myzoom.media.janus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a Janus is installed: its binary and the folder of its plugin folders. Debian puts them
 * under the architecture's library folder (/usr/lib/x86_64-linux-gnu/janus), a source build under
 * /usr/local or /opt/janus, so the folder is looked for rather than assumed.
 *
 * @param libraries the folder holding {@code plugins/}, {@code transports/}, {@code events/} and
 *     {@code loggers/}
 */
public record JanusInstall(Path binary, Path libraries) {
    public static final Path DEBIAN_BINARY = Path.of("/usr/bin/janus");

    /** Janus at {@code binary} with its VideoRoom plugin and WebSocket transport, if both are there. */
    public static Optional<JanusInstall> find(Path binary) {
        if (!Files.isExecutable(binary)) {
            return Optional.empty();
        }
        Path prefix = binary.toAbsolutePath().getParent().getParent();
        try (Stream<Path> arch = list(prefix.resolve("lib"))) {
            return Stream.concat(Stream.of(prefix.resolve("lib/janus")), arch.map(dir -> dir.resolve("janus")))
                    .filter(dir -> Files.isRegularFile(dir.resolve("plugins/libjanus_videoroom.so"))
                            && Files.isRegularFile(dir.resolve("transports/libjanus_websockets.so")))
                    .findFirst()
                    .map(dir -> new JanusInstall(binary, dir));
        }
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.isDirectory(dir) ? Files.list(dir).filter(Files::isDirectory) : Stream.empty();
        } catch (IOException e) {
            return Stream.empty();
        }
    }
}
