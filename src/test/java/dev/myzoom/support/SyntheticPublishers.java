package dev.myzoom.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myzoom.media.janus.VideoRoom;
import dev.myzoom.media.sfu.RoomKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cheap participants for big-room tests: each joins the room over a WebSocket like anyone
 * (so pages show their tile), and their camera is a VideoRoom remote publisher fed plain RTP
 * by one ffmpeg, which encodes a 160x120 test pattern once and sends it to every publisher's
 * port. Janus tells the VP8 streams apart by port and SSRC (1000 + 10 × mindex + substream). A
 * browser per participant would cost each a VP8 encoder in three layers, and on two cores six
 * such pages are the most that decode reliably.
 *
 * <p>The server must be started with {@code JANUS_ROOM_KEY} set to {@link #ROOM_KEY}, so that
 * the test can name the VideoRoom and its secret as the server does.
 */
public final class SyntheticPublishers implements AutoCloseable {
    public static final String ROOM_KEY = "synthetic-publishers-test-key";
    private static final int SSRC = 1000;
    private static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");

    private final List<WsClient> people = new ArrayList<>();
    private final List<String> pids = new ArrayList<>();
    private Process ffmpeg;
    private Path ffmpegLog;

    private SyntheticPublishers() {}

    /** {@code count} people named {@code prefix}1… join {@code room}, each with a camera that plays. */
    public static SyntheticPublishers start(TestServer server, String room, int count, String prefix) {
        List<String> nicks = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            nicks.add(prefix + i);
        }
        return start(server, room, nicks);
    }

    /** People with these nicknames join {@code room}, in this order, each with a camera that plays. */
    public static SyntheticPublishers start(TestServer server, String room, List<String> nicks) {
        if (!Files.isExecutable(FFMPEG)) {
            Missing.skipOrFail("ffmpeg is not installed (apt-get install ffmpeg)", "synthetic publishers");
        }
        SyntheticPublishers synthetic = new SyntheticPublishers();
        try {
            VideoRoom control = server.app().janus().orElseThrow().links().get(0).rooms().orElseThrow();
            RoomKeys keys = new RoomKeys(ROOM_KEY.getBytes(StandardCharsets.UTF_8));
            String roomId = keys.roomId(room);
            List<Integer> ports = new ArrayList<>();
            for (String nick : nicks) {
                WsClient person = server.connect();
                synthetic.people.add(person);
                person.ok("join", "room", room, "nick", nick, "media", Map.of("audio", false, "video", true, "screen", false));
                ObjectNode add = control.body("add_remote_publisher").put("room", roomId).put("secret", keys.secret(roomId))
                        .put("id", person.pid).put("display", nick).put("iface", "127.0.0.1");
                add.putArray("streams").addObject().put("type", "video").put("mindex", 0).put("mid", "0").put("codec", "vp8");
                JsonNode reply = control.handle().request(add).get(10, TimeUnit.SECONDS).data();
                if (!reply.has("port")) {
                    throw new IllegalStateException("add_remote_publisher: " + reply);
                }
                ports.add(reply.get("port").asInt());
                synthetic.pids.add(person.pid);
            }
            synthetic.feed(ports);
            return synthetic;
        } catch (Exception e) {
            synthetic.close();
            throw new IllegalStateException("could not start the synthetic publishers", e);
        }
    }

    public List<String> pids() {
        return pids;
    }

    // One encode, sent to every port: 10 frames a second, a keyframe every half second so that
    // a tile that comes into view plays at once (nobody listens to Janus's keyframe requests).
    private void feed(List<Integer> ports) throws IOException {
        StringBuilder outputs = new StringBuilder();
        for (int port : ports) {
            if (!outputs.isEmpty()) {
                outputs.append('|');
            }
            outputs.append("[f=rtp:ssrc=").append(SSRC).append(":payload_type=96]rtp://127.0.0.1:").append(port).append("?pkt_size=1200");
        }
        ffmpegLog = Files.createTempFile("myzoom-ffmpeg-", ".log");
        ffmpeg = new ProcessBuilder(FFMPEG.toString(), "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10",
                "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "80k", "-g", "5", "-auto-alt-ref", "0",
                "-map", "0:v", "-f", "tee", outputs.toString())
                .redirectErrorStream(true).redirectOutput(ffmpegLog.toFile()).start();
    }

    /** What ffmpeg said, for a failure message. */
    public String ffmpegLog() {
        try {
            return ffmpegLog == null ? "" : Files.readString(ffmpegLog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (ffmpeg != null) {
            ffmpeg.destroyForcibly();
        }
        people.forEach(WsClient::close);
    }
}
