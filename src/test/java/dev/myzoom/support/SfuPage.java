package dev.myzoom.support;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import java.util.function.Predicate;

/**
 * What a test reads off a room page whose call goes through the SFU: what the subscriber
 * connection receives per remote participant and slot, and what this page sends upstream. Every
 * RTCPeerConnection the page makes is recorded (an init script), so that a test can count the
 * connections that really carry video, whichever transport made them.
 */
public final class SfuPage {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Before any page script: keep every RTCPeerConnection the page makes. */
    public static final String RECORD_CONNECTIONS = """
            (() => {
              const Native = window.RTCPeerConnection;
              if (!Native) return;
              window.__connections = [];
              window.RTCPeerConnection = function (...args) {
                const pc = new Native(...args);
                window.__connections.push(pc);
                return pc;
              };
              window.RTCPeerConnection.prototype = Native.prototype;
              window.RTCPeerConnection.generateCertificate = Native.generateCertificate;
            })();""";

    private static final String STATE = """
            async () => {
              const t = window.myzoom.transport;
              const out = { mode: t ? t.mode : null, peers: {}, upstream: null, sending: [] };
              // Outbound video per open connection, whichever transport made it.
              for (const [i, pc] of (window.__connections ?? []).entries()) {
                if (pc.connectionState === 'closed') continue;
                let bytes = 0, packets = 0, audioPackets = 0;
                (await pc.getStats()).forEach((s) => {
                  if (s.type !== 'outbound-rtp') return;
                  if (s.kind === 'video') { bytes += s.bytesSent ?? 0; packets += s.packetsSent ?? 0; }
                  else audioPackets += s.packetsSent ?? 0;
                });
                out.sending.push({ i, videoBytes: bytes, videoPackets: packets, audioPackets, state: pc.connectionState });
              }
              if (!t || t.mode !== 'sfu') return out;
              const { camera, subscriber } = t.connections();
              const streams = t.streams();
              if (subscriber) {
                (await subscriber.getStats()).forEach((s) => {
                  if (s.type !== 'inbound-rtp') return;
                  const stream = streams.find((x) => x.mid === s.mid);
                  if (!stream) return;
                  const p = out.peers[stream.pid] ??= {};
                  p[stream.slot] = { framesDecoded: s.framesDecoded ?? 0, frameHeight: s.frameHeight ?? 0,
                    frameWidth: s.frameWidth ?? 0, packetsReceived: s.packetsReceived ?? 0, bytesReceived: s.bytesReceived ?? 0 };
                });
              }
              for (const pid of Object.keys(out.peers)) {
                const video = document.querySelector(`.tile:not(.screen)[data-pid="${pid}"] video`);
                out.peers[pid].videoWidth = video ? video.videoWidth : 0;
                const screen = document.querySelector(`.tile.screen[data-pid="${pid}"] video`);
                out.peers[pid].screenVideoWidth = screen ? screen.videoWidth : 0;
              }
              if (camera) {
                const video = camera.getTransceivers()[1].sender;
                let videoBytes = 0, videoFrames = 0, audioPackets = 0, layers = 0;
                (await camera.getStats()).forEach((s) => {
                  if (s.type !== 'outbound-rtp') return;
                  if (s.kind === 'video') {
                    videoBytes += s.bytesSent ?? 0;
                    videoFrames += s.framesSent ?? 0;
                    if ((s.bytesSent ?? 0) > 0) layers++;
                  }
                  else audioPackets += s.packetsSent ?? 0;
                });
                out.upstream = { encodings: video.getParameters().encodings.length, layers, videoBytes, videoFrames, audioPackets,
                  state: camera.connectionState };
              }
              return out;
            }""";

    // Every video RTP stream of every connection, with the keyframe requests and keyframes each
    // saw: what a layer that never switches is read from.
    private static final String VIDEO_STREAMS = """
            async () => {
              const out = [];
              for (const pc of window.__connections) {
                (await pc.getStats()).forEach((s) => {
                  if (s.kind !== 'video' || (s.type !== 'outbound-rtp' && s.type !== 'inbound-rtp')) return;
                  out.push(`${s.type} ${s.rid ?? 'mid ' + s.mid}: ${s.frameHeight ?? 0} lines, ${s.bytesSent ?? s.bytesReceived} bytes,`
                    + ` ${s.pliCount ?? 0} PLI, ${s.keyFramesEncoded ?? s.keyFramesDecoded ?? 0} keyframes, ${pc.connectionState}`);
                });
              }
              return out.join('; ');
            }""";

    // Counts every message the page's WebSockets receive, into window.__received.
    private static final String COUNT_MESSAGES = "const Ws = window.WebSocket; window.__received = 0;"
            + " window.WebSocket = class extends Ws { constructor(...a) { super(...a);"
            + " this.addEventListener('message', () => window.__received++); } };";

    private SfuPage() {}

    /** Makes the page count the signaling messages it receives ({@link #received}); call before it navigates. */
    public static void countMessages(Page page) {
        page.addInitScript(COUNT_MESSAGES);
    }

    /** The signaling messages the page has received since it loaded. */
    public static long received(Page page) {
        return ((Number) page.evaluate("() => window.__received")).longValue();
    }

    /** The page's video streams, one line each, for a failure message. */
    public static String videoStreams(Page page) {
        return String.valueOf(page.evaluate(VIDEO_STREAMS));
    }

    /** Makes the page record its connections; call before it navigates. */
    public static void record(Page page) {
        page.addInitScript(RECORD_CONNECTIONS);
    }

    public static JsonNode state(Page page) {
        return JSON.valueToTree(page.evaluate(STATE));
    }

    /** Polls the page until {@code wanted} holds; returns the state it held in. */
    public static JsonNode await(Page page, String what, Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + Call.PATIENCE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = state(page);
            if (wanted.test(last)) {
                return last;
            }
            page.waitForTimeout(250);
        }
        return fail("within " + Call.PATIENCE + ", never saw " + what + "; last state: " + last);
    }

    /** The page receives {@code pid}'s camera (decoded and shown) and voice through the SFU. */
    public static JsonNode awaitMediaFrom(Page page, String pid) {
        return await(page, "video and audio of " + pid + " through the SFU", s -> {
            JsonNode p = s.path("peers").path(pid);
            return "sfu".equals(s.path("mode").asText()) && p.path("camera").path("framesDecoded").asLong() > 0
                    && p.path("videoWidth").asInt() > 0 && p.path("audio").path("packetsReceived").asLong() > 0;
        }).path("peers").path(pid);
    }

    /** The page shows {@code pid}'s camera through the SFU (their voice may be muted). */
    public static JsonNode awaitVideoFrom(Page page, String pid) {
        return await(page, "video of " + pid + " through the SFU", s -> {
            JsonNode p = s.path("peers").path(pid);
            return "sfu".equals(s.path("mode").asText()) && p.path("camera").path("framesDecoded").asLong() > 0
                    && p.path("videoWidth").asInt() > 0;
        }).path("peers").path(pid);
    }

    /** Connections of the page that carry video upstream now (video bytes grow over {@code millis}). */
    public static int videoSenders(Page page, int millis) {
        JsonNode before = state(page).path("sending");
        page.waitForTimeout(millis);
        JsonNode after = state(page).path("sending");
        java.util.Map<Integer, Long> was = new java.util.HashMap<>();
        before.forEach(c -> was.put(c.path("i").asInt(), c.path("videoBytes").asLong()));
        int growing = 0;
        for (JsonNode c : after) {
            if (c.path("videoBytes").asLong() > was.getOrDefault(c.path("i").asInt(), Long.MAX_VALUE)) {
                growing++;
            }
        }
        return growing;
    }
}
