package dev.myzoom.signal;

import dev.myzoom.media.janus.JanusException;
import dev.myzoom.media.sfu.Layers;
import dev.myzoom.media.sfu.SfuParticipant;
import dev.myzoom.media.sfu.SfuRooms;
import dev.myzoom.protocol.ClientMessage;
import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.Refusal;
import dev.myzoom.protocol.ServerMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SFU's requests (publish, unpublish, trickle, subscriptionAnswer, view, leaveSfu), carried
 * out on the node that holds the WebSocket, wherever the room lives: the SDP goes straight from
 * here to Janus and never crosses the cluster. Each connection gets an {@link SfuParticipant} for
 * the room it is in, made on its first SFU request and ended when it leaves the room, closes,
 * or asks to leave the SFU.
 */
public final class MediaRequests {
    private static final Logger log = LoggerFactory.getLogger(MediaRequests.class);
    /** The room an SFU answer gets: a subscription of 50 people's cameras and voices is ~80 KB of SDP. */
    static final int MAX_SFU_SDP_CHARS = 256 * 1024;

    /** What the endpoint needs for the SFU: the rooms in Janus (none without an SFU) and the layer choice. */
    public record Sfu(Optional<SfuRooms> rooms, Layers layers, ScheduledExecutorService timer) {}

    private final Optional<SfuRooms> rooms;
    private final Layers layers;
    private final ScheduledExecutorService timer;

    MediaRequests(Sfu sfu) {
        this.rooms = sfu.rooms();
        this.layers = sfu.layers();
        this.timer = sfu.timer();
    }

    static boolean handles(ClientMessage message) {
        return message instanceof ClientMessage.Publish || message instanceof ClientMessage.Unpublish
                || message instanceof ClientMessage.Trickle || message instanceof ClientMessage.SubscriptionAnswer
                || message instanceof ClientMessage.View || message instanceof ClientMessage.LeaveSfu;
    }

    void handle(Connection c, ClientMessage message) {
        if (message instanceof ClientMessage.LeaveSfu m) {
            end(c);
            c.reply(new ServerMessage.Ack(m.id()));
            return;
        }
        SfuParticipant sfu = participant(c);
        if (message instanceof ClientMessage.Publish m) {
            answer(c, m.id(), sfu.publish(m.pc(), m.offer()).thenApply(answer -> new ServerMessage.PublishAck(m.id(), answer)));
        } else if (message instanceof ClientMessage.Unpublish m) {
            answer(c, m.id(), sfu.unpublish(m.pc()).thenApply(done -> new ServerMessage.Ack(m.id())));
        } else if (message instanceof ClientMessage.Trickle m) {
            answer(c, m.id(), sfu.trickle(m.pc(), m.candidate()).thenApply(done -> new ServerMessage.Ack(m.id())));
        } else if (message instanceof ClientMessage.SubscriptionAnswer m) {
            answer(c, m.id(), sfu.answer(m.answer()).thenApply(done -> new ServerMessage.Ack(m.id())));
        } else if (message instanceof ClientMessage.View m) {
            Map<String, Integer> heights = new LinkedHashMap<>();
            m.tiles().forEach(tile -> heights.put(tile.pid(), Math.max(0, tile.height())));
            answer(c, m.id(), sfu.view(heights).thenApply(done -> new ServerMessage.Ack(m.id())));
        }
    }

    /** The connection left its room, or closed: its Janus session goes. */
    void end(Connection c) {
        SfuParticipant sfu = c.sfu;
        c.sfu = null;
        if (sfu != null) {
            sfu.close();
        }
    }

    /** The connection's participant for the room it is in now. */
    private SfuParticipant participant(Connection c) {
        if (rooms.isEmpty()) {
            throw new Refusal(ErrorCode.NOT_SFU, "this server has no media server; calls go browser to browser");
        }
        String room = c.roomName();
        if (room == null) {
            throw new Refusal(ErrorCode.NOT_IN_ROOM, "join a room first");
        }
        SfuParticipant sfu = c.sfu;
        if (sfu != null && sfu.room().equals(room)) {
            return sfu;
        }
        end(c);
        sfu = new SfuParticipant(c.pid(), room, rooms.get(), layers, timer, c::reply);
        c.sfu = sfu;
        // A subscription answer for a room of fifty is larger than other messages may be.
        c.allowLargeFrames(MAX_SFU_SDP_CHARS + 4096);
        return sfu;
    }

    private static void answer(Connection c, String id, CompletableFuture<? extends ServerMessage> work) {
        work.whenComplete((reply, failure) -> c.reply(failure == null ? reply : error(c, id, failure)));
    }

    private static ServerMessage error(Connection c, String id, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof Refusal refusal) {
            return new ServerMessage.Error(id, refusal.code().wire(), refusal.getMessage());
        }
        JanusException janus = JanusException.of(cause);
        int code = janus.code();
        // Janus's own codes for an SDP it cannot use (core 464/465, VideoRoom 431/437).
        if (code == 464 || code == 465 || code == 431 || code == 437) {
            return new ServerMessage.Error(id, ErrorCode.BAD_SDP.wire(), "the media server refused the SDP: " + janus.reason());
        }
        log.info("an SFU request of {} failed: {}", c.pid(), janus.getMessage());
        return new ServerMessage.Error(id, ErrorCode.MEDIA_UNAVAILABLE.wire(),
                "the media server cannot be reached; the page will try again");
    }
}
