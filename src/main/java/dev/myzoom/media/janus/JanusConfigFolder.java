package dev.myzoom.media.janus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes the config folder of the server's own Janus: janus.jcfg (this folder, the install's
 * plugin folders, the API secret, RTP ports, ICE interfaces), the VideoRoom plugin's config
 * (admin key, string room ids) and the WebSocket transport's (loopback only). Every other plugin,
 * transport, logger and event handler is disabled: the HTTP transport and the Admin API stay off,
 * so the only way in is the secret-checked WebSocket on 127.0.0.1.
 */
final class JanusConfigFolder {
    /**
     * @param iceInterfaces Janus's {@code ice_enforce_list} (interfaces or address prefixes,
     *     comma-separated), or empty for Janus's default (every interface but loopback)
     */
    record Settings(int webSocketPort, String apiSecret, String adminKey, int rtpMin, int rtpMax,
            Optional<String> iceInterfaces, int sessionTimeoutSeconds) {}

    private JanusConfigFolder() {
    }

    static void write(Path folder, JanusInstall install, Settings s) throws IOException {
        Path lib = install.libraries();
        write(folder, "janus.jcfg", """
                general: {
                \tconfigs_folder = %s
                \tplugins_folder = %s
                \ttransports_folder = %s
                \tevents_folder = %s
                \tloggers_folder = %s
                \tdebug_level = 4
                \tdebug_timestamps = true
                \tdebug_colors = false
                \tserver_name = "myzoom-local"
                \tapi_secret = %s
                \tsession_timeout = %d
                \treclaim_session_timeout = 0
                \thide_dependencies = true
                }
                media: {
                \trtp_port_range = "%d-%d"
                }
                nat: {
                %s}
                plugins: {
                \tdisable = %s
                }
                transports: {
                \tdisable = %s
                }
                loggers: {
                \tdisable = %s
                }
                events: {
                \tbroadcast = false
                \tdisable = %s
                }
                """.formatted(quote(folder), quote(lib.resolve("plugins")), quote(lib.resolve("transports")),
                quote(lib.resolve("events")), quote(lib.resolve("loggers")), quote(s.apiSecret()), s.sessionTimeoutSeconds(),
                s.rtpMin(), s.rtpMax(),
                s.iceInterfaces().map(list -> "\tice_enforce_list = " + quote(list) + "\n").orElse(""),
                quote(others(lib.resolve("plugins"), "libjanus_videoroom.so")),
                quote(others(lib.resolve("transports"), "libjanus_websockets.so")),
                quote(others(lib.resolve("loggers"), "")), quote(others(lib.resolve("events"), ""))));
        write(folder, "janus.plugin.videoroom.jcfg", """
                general: {
                \tadmin_key = %s
                \tstring_ids = true
                \tlock_rtp_forward = true
                }
                """.formatted(quote(s.adminKey())));
        write(folder, "janus.transport.websockets.jcfg", """
                general: {
                \tjson = "plain"
                \tws = true
                \tws_port = %d
                \tws_ip = "127.0.0.1"
                \twss = false
                }
                admin: {
                \tadmin_ws = false
                \tadmin_wss = false
                }
                """.formatted(s.webSocketPort()));
    }

    private static void write(Path folder, String name, String text) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        // The files hold the API secret and the admin key.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** A libconfig string; the values written here never hold quotes or backslashes. */
    private static String quote(Object value) {
        String text = value.toString();
        if (text.contains("\"") || text.contains("\\")) {
            throw new IllegalArgumentException("cannot write " + text + " into a Janus config");
        }
        return "\"" + text + "\"";
    }

    /** The libraries in {@code dir} other than {@code keep}, for a {@code disable} list. */
    private static String others(Path dir, String keep) throws IOException {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".so") && !n.equals(keep)).sorted().toList();
            return String.join(",", names);
        }
    }
}
