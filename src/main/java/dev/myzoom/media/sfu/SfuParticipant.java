package dev.myzoom.media.sfu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myzoom.media.janus.JanusClient;
import dev.myzoom.media.janus.JanusEvent;
import dev.myzoom.media.janus.JanusException;
import dev.myzoom.media.janus.JanusHandle;
import dev.myzoom.media.janus.JanusSession;
import dev.myzoom.media.janus.PluginReply;
import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.Refusal;
import dev.myzoom.protocol.ServerMessage;
import dev.myzoom.protocol.ServerMessage.SubscribedStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant's side of the SFU, on the node that holds their WebSocket: a Janus session of
 * their own with a publisher handle (camera and microphone, Janus id = their pid), a second
 * publisher for a screen share ({@code <pid>-s}), and one subscriber handle that receives
 * everyone else in one multistream connection, for which Janus makes the offers.
 *
 * <p>Everything here happens one step at a time, in the order it was asked for: the page's
 * requests and Janus's events are queued on one chain of futures, and a step that waits for Janus
 * holds back the next. So a candidate never overtakes its offer, and there is only ever one
 * negotiation of the subscriber connection open; feeds that come and go meanwhile are folded
 * into the next one. Nothing here blocks a thread.
 */
public final class SfuParticipant {
    private static final Logger log = LoggerFactory.getLogger(SfuParticipant.class);
    public static final String SCREEN_SUFFIX = "-s";
    private static final int ALREADY_JOINED_ID = 436;

    private final String pid;
    private final String room;
    private final SfuRooms rooms;
    private final Consumer<ServerMessage> out;
    private final Layers layers;
    private final SpeakingBatch speaking;

    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private volatile boolean closed;

    // Below: touched only by the steps of the chain, one at a time.
    /** The session and publisher handle, once joined. */
    // Volatile for the load report (streams()), which reads them from another thread.
    private volatile Joined joined;
    private volatile JanusHandle screen;
    private volatile JanusHandle subscriber;
    private volatile boolean cameraPublished;
    /** An offer went to the page and its answer has not been started yet. */
    private boolean negotiating;
    /** Others' publishers in the room, by feed id (pid, or pid-s for a screen). */
    private final Map<String, JsonNode> feeds = new LinkedHashMap<>();
    /** The feeds the subscriber connection carries or has been asked to. */
    private final Set<String> subscribed = new LinkedHashSet<>();
    /** The subscriber connection's m-lines, as last offered. */
    private volatile List<SubscribedStream> streams = List.of();
    /** The simulcast layer wanted per pid, and what was asked of Janus per mid. */
    private final Map<String, Integer> wanted = new HashMap<>();
    private final LayerRequests layerRequests = new LayerRequests();

    private record Joined(JanusClient client, JanusSession session, JanusHandle publisher, String roomId, long privateId) {}

    /**
     * @param timer where the speaking set is gathered (see {@link SpeakingBatch})
     * @param out what goes to the page: subscription offers, resets, who is speaking
     */
    public SfuParticipant(String pid, String room, SfuRooms rooms, Layers layers, ScheduledExecutorService timer,
            Consumer<ServerMessage> out) {
        this.pid = pid;
        this.room = room;
        this.rooms = rooms;
        this.layers = layers;
        this.out = out;
        this.speaking = new SpeakingBatch(timer, SpeakingBatch.WINDOW, this::send);
    }

    public String room() {
        return room;
    }

    /** Whether the camera connection is published now (for the metrics). */
    public boolean publishing() {
        return cameraPublished;
    }

    /** The Janus instance this participant is on now, if joined there (for placement by load). */
    public java.util.Optional<String> instance() {
        Joined j = joined;
        return j == null ? java.util.Optional.empty() : java.util.Optional.of(j.client().uri().toString());
    }

    /** The streams this participant has on its instance: its camera's two, its screen, and the m-lines it receives. */
    public int streams() {
        return (cameraPublished ? 2 : 0) + (screen != null ? 1 : 0) + streams.size();
    }

    /** Whether the subscriber connection exists now (for the metrics). */
    public boolean subscribing() {
        return subscriber != null;
    }

    /** Publishes the page's camera connection or screen share; completes with Janus's answer. */
    public CompletableFuture<JsonNode> publish(String pc, JsonNode offer) {
        boolean camera = "camera".equals(pc);
        if (camera && !audioFirst(offer.path("sdp").asText())) {
            return CompletableFuture.failedFuture(new Refusal(ErrorCode.BAD_SDP,
                    "the camera connection's first m-line must be audio, with mid 0"));
        }
        return step(() -> joined().thenCompose(j -> camera ? republishable(j.publisher()) : screenHandle(j))
                .thenCompose(handle -> {
                    ObjectNode publish = body("publish");
                    publish.putArray("descriptions").addObject().put("mid", camera ? "1" : "0").put("description", pc);
                    return handle.request(publish, offer);
                })
                .thenApply(reply -> {
                    if (camera) {
                        cameraPublished = true;
                    }
                    return reply.jsep().orElseThrow(() -> new JanusException(JanusException.PROTOCOL, "publish answered without an SDP"));
                }));
    }

    /** Stops the screen share (its publisher leaves) or the camera connection. */
    public CompletableFuture<Void> unpublish(String pc) {
        return step(() -> {
            if ("screen".equals(pc)) {
                JanusHandle handle = screen;
                screen = null;
                return handle == null ? done() : handle.detach().exceptionally(ignored -> null);
            }
            if (joined == null || !cameraPublished) {
                return done();
            }
            cameraPublished = false;
            return joined.publisher().request(body("unpublish")).<Void>thenApply(reply -> null).exceptionally(ignored -> null);
        });
    }

    /** A candidate of the page's, for one of its connections; null: gathering is complete. */
    public CompletableFuture<Void> trickle(String pc, JsonNode candidate) {
        return step(() -> {
            JanusHandle handle = switch (pc) {
                case "camera" -> joined == null ? null : joined.publisher();
                case "screen" -> screen;
                default -> subscriber;
            };
            if (handle == null) {
                // A candidate for a connection that was reset meanwhile.
                return done();
            }
            return handle.trickle(candidate == null ? completed() : candidateOf(candidate));
        });
    }

    /** The page's answer to the last subscription offer. */
    public CompletableFuture<Void> answer(JsonNode answer) {
        return step(() -> {
            if (subscriber == null || !negotiating) {
                return CompletableFuture.failedFuture(new Refusal(ErrorCode.BAD_SDP, "no subscription offer is waiting for an answer"));
            }
            return subscriber.request(body("start"), answer).thenCompose(reply -> {
                negotiating = false;
                layerRequests.clear();
                return applyLayers().thenCompose(ignored -> resubscribe());
            });
        });
    }

    /**
     * How tall each remote camera is shown, in device pixels: each gets the simulcast layer that
     * fits. A pid the room has no camera of is refused, so a page cannot reach into another room.
     */
    public CompletableFuture<Void> view(Map<String, Integer> heights) {
        return step(() -> {
            for (String who : heights.keySet()) {
                if (!feeds.containsKey(who)) {
                    return CompletableFuture.failedFuture(new Refusal(ErrorCode.UNKNOWN_PEER, "no camera of " + who + " in this room"));
                }
            }
            heights.forEach((who, height) -> wanted.put(who, layers.forHeight(height)));
            return applyLayers();
        });
    }

    /** Ends it all: Janus drops the session, and the others' pages their tiles' media. */
    public CompletableFuture<Void> close() {
        closed = true;
        speaking.close();
        return step(() -> {
            Joined j = joined;
            joined = null;
            return j == null ? done() : j.session().destroy().exceptionally(ignored -> null);
        }, true);
    }

    // ---- steps

    private CompletableFuture<Joined> joined() {
        if (joined != null && joined.client().isOpen()) {
            return CompletableFuture.completedFuture(joined);
        }
        return rooms.place(room).thenCompose(placement -> joinAs(placement, true));
    }

    private CompletableFuture<Joined> joinAs(SfuRooms.Placement placement, boolean firstTry) {
        JanusClient client = placement.client();
        return client.createSession(event -> later(() -> sessionEvent(event))).thenCompose(session ->
                session.attachVideoRoom(event -> later(() -> publisherEvent(event)))
                        .thenCompose(handle -> handle.request(body("join").put("ptype", "publisher").put("room", placement.roomId())
                                .put("id", pid).put("display", pid)).thenApply(reply -> {
                                    Joined j = new Joined(client, session, handle, placement.roomId(), reply.data().path("private_id").asLong());
                                    joined = j;
                                    reply.data().path("publishers").forEach(this::feedCame);
                                    client.closed().thenRun(() -> later(() -> lost(client, "the media server went away")));
                                    later(this::resubscribe);
                                    return j;
                                }))
                        .exceptionallyCompose(failure -> {
                            session.destroy();
                            int code = JanusException.of(failure).code();
                            if (firstTry && code == SfuRooms.NO_SUCH_ROOM) {
                                // Destroyed since we last made it (the meeting ended and began again).
                                rooms.forget(room);
                                return rooms.place(room).thenCompose(again -> joinAs(again, false));
                            }
                            if (firstTry && code == ALREADY_JOINED_ID) {
                                // An older session of ours is still seated: drop it and take the seat.
                                return rooms.kick(room, pid).thenCompose(kicked -> joinAs(placement, false));
                            }
                            return CompletableFuture.failedFuture(failure);
                        }));
    }

    /** The camera handle, unpublished first if an earlier connection of the page published on it. */
    private CompletableFuture<JanusHandle> republishable(JanusHandle publisher) {
        if (!cameraPublished) {
            return CompletableFuture.completedFuture(publisher);
        }
        cameraPublished = false;
        return publisher.request(body("unpublish")).handle((reply, failure) -> publisher);
    }

    private CompletableFuture<JanusHandle> screenHandle(Joined j) {
        JanusHandle old = screen;
        screen = null;
        CompletableFuture<Void> dropped = old == null ? done() : old.detach().exceptionally(ignored -> null);
        return dropped.thenCompose(ignored -> j.session().attachVideoRoom(event -> { }))
                .thenCompose(handle -> handle.request(body("join").put("ptype", "publisher").put("room", j.roomId())
                        .put("id", pid + SCREEN_SUFFIX).put("display", pid)).thenApply(reply -> {
                            screen = handle;
                            return handle;
                        }));
    }

    /** Brings the subscriber connection in line with the room's feeds: one negotiation at a time. */
    private CompletableFuture<Void> resubscribe() {
        Joined j = joined;
        if (j == null || negotiating || closed) {
            return done();
        }
        List<String> add = feeds.keySet().stream().filter(f -> !subscribed.contains(f)).toList();
        List<String> drop = subscribed.stream().filter(f -> !feeds.containsKey(f)).toList();
        if (add.isEmpty() && drop.isEmpty()) {
            return done();
        }
        if (subscriber == null) {
            ObjectNode join = body("join").put("ptype", "subscriber").put("room", j.roomId()).put("private_id", j.privateId())
                    // The feeds that leave are unsubscribed here, in the next negotiation.
                    .put("autoupdate", false);
            ArrayNode list = join.putArray("streams");
            add.forEach(feed -> list.addObject().put("feed", feed));
            negotiating = true;
            subscribed.addAll(add);
            return j.session().attachVideoRoom(event -> later(() -> subscriberEvent(event))).thenCompose(handle -> {
                subscriber = handle;
                return handle.request(join);
            }).thenAccept(this::offer).exceptionallyCompose(failure -> {
                // A handle that never joined cannot be updated: the next round starts afresh.
                JanusHandle never = subscriber;
                subscriber = null;
                if (never != null) {
                    never.detach().exceptionally(ignored -> null);
                }
                return subscriptionFailed(failure, add);
            });
        }
        // Janus 1.1.2 refuses an empty list (430), so each is sent only when it has something.
        ObjectNode update = body("update");
        if (!add.isEmpty()) {
            ArrayNode subscribe = update.putArray("subscribe");
            add.forEach(feed -> subscribe.addObject().put("feed", feed));
        }
        if (!drop.isEmpty()) {
            ArrayNode unsubscribe = update.putArray("unsubscribe");
            drop.forEach(feed -> unsubscribe.addObject().put("feed", feed));
        }
        negotiating = true;
        subscribed.addAll(add);
        drop.forEach(subscribed::remove);
        return subscriber.request(update).thenAccept(reply -> {
            // "updating": Janus merged this into a negotiation of its own, whose offer comes as an event.
            if (reply.jsep().isPresent()) {
                offer(reply);
            }
        }).exceptionallyCompose(failure -> subscriptionFailed(failure, add));
    }

    /**
     * A subscription Janus refused. "No such feed" means someone left between their news and
     * our request: the room's publishers are read again from Janus, and the next round asks
     * for those.
     */
    private CompletableFuture<Void> subscriptionFailed(Throwable failure, List<String> add) {
        negotiating = false;
        add.forEach(subscribed::remove);
        JanusException e = JanusException.of(failure);
        if (e.code() != SfuRooms.NO_SUCH_FEED || joined == null) {
            log.warn("subscription of {} in {} failed: {}", pid, room, e.getMessage());
            return done();
        }
        return rooms.publishers(room, joined.roomId()).thenAccept(live -> {
            feeds.keySet().retainAll(live);
            later(this::resubscribe);
        }).exceptionally(ignored -> null);
    }

    /** Passes Janus's offer to the page, with what each m-line carries. */
    private void offer(PluginReply reply) {
        JsonNode jsep = reply.jsep().orElse(null);
        if (jsep == null) {
            return;
        }
        negotiating = true;
        List<SubscribedStream> now = new ArrayList<>();
        for (JsonNode stream : reply.data().path("streams")) {
            String feed = stream.path("feed_id").asText("");
            if (feed.isEmpty() || !stream.path("active").asBoolean(true)) {
                continue;
            }
            boolean isScreen = feed.endsWith(SCREEN_SUFFIX);
            String owner = isScreen ? feed.substring(0, feed.length() - SCREEN_SUFFIX.length()) : feed;
            String slot = "audio".equals(stream.path("type").asText()) ? "audio" : isScreen ? "screen" : "camera";
            now.add(new SubscribedStream(stream.path("mid").asText(), owner, slot));
        }
        streams = List.copyOf(now);
        send(new ServerMessage.Subscription(jsep, streams));
    }

    /**
     * Asks Janus for the layer each camera tile wants, where it was not asked yet or Janus has not
     * switched some time after it was (see {@link LayerRequests}). Called on each view the page
     * sends, which it does every few seconds even when nothing changed, so that is the retry.
     */
    private CompletableFuture<Void> applyLayers() {
        if (subscriber == null || negotiating) {
            return done();
        }
        Map<String, Integer> wantedByMid = new LinkedHashMap<>();
        for (SubscribedStream s : streams) {
            Integer layer = "camera".equals(s.slot()) ? wanted.get(s.pid()) : null;
            if (layer != null) {
                wantedByMid.put(s.mid(), layer);
            }
        }
        Map<String, Integer> ask = layerRequests.toAsk(wantedByMid, System.nanoTime());
        if (ask.isEmpty()) {
            return done();
        }
        ObjectNode configure = body("configure");
        ArrayNode list = configure.putArray("streams");
        ask.forEach((mid, layer) -> {
            ObjectNode stream = list.addObject().put("mid", mid).put("send", layer != Layers.OFF);
            if (layer != Layers.OFF) {
                stream.put("substream", layer);
            }
        });
        return subscriber.request(configure).<Void>thenApply(reply -> null).exceptionally(failure -> {
            // Not applied: the next view (the page sends one every few seconds) asks again.
            layerRequests.failed(ask.keySet());
            log.info("layer change for {} failed: {}", pid, JanusException.of(failure).getMessage());
            return null;
        });
    }

    // ---- Janus's events, each a step of its own

    private CompletableFuture<Void> publisherEvent(JanusEvent event) {
        JsonNode data = event.data();
        if (!"event".equals(event.type()) || data.isMissingNode()) {
            return done();
        }
        String talk = data.path("videoroom").asText();
        if ("talking".equals(talk) || "stopped-talking".equals(talk)) {
            // Janus tells every publisher handle in the room, so each page hears each change once,
            // from its own handle, with no hop between nodes.
            String who = data.path("id").asText();
            if (!who.isEmpty() && !who.endsWith(SCREEN_SUFFIX)) {
                speaking.changed(who, "talking".equals(talk));
            }
            return done();
        }
        data.path("publishers").forEach(this::feedCame);
        for (String gone : new String[] {data.path("unpublished").asText(""), data.path("leaving").asText("")}) {
            if (!gone.isEmpty() && !"ok".equals(gone)) {
                feeds.remove(gone);
            }
        }
        if ("destroyed".equals(data.path("videoroom").asText())) {
            return lost(joined == null ? null : joined.client(), "the room's media was reset");
        }
        return resubscribe();
    }

    private CompletableFuture<Void> subscriberEvent(JanusEvent event) {
        if (!"event".equals(event.type())) {
            return done();
        }
        if (event.jsep().isPresent()) {
            offer(new PluginReply(event.data(), event.jsep()));
        } else if (event.data().has("substream") && event.data().has("mid")) {
            // Janus switched this mid to another simulcast layer (or already carried the one asked for).
            layerRequests.switched(event.data().path("mid").asText(), event.data().path("substream").asInt());
        }
        return done();
    }

    private CompletableFuture<Void> sessionEvent(JanusEvent event) {
        if ("timeout".equals(event.type())) {
            return lost(joined == null ? null : joined.client(), "the media server timed the session out");
        }
        return done();
    }

    /** The session is gone (Janus restarted, or it timed out): the page publishes again. */
    private CompletableFuture<Void> lost(JanusClient client, String why) {
        if (joined == null || (client != null && joined.client() != client)) {
            return done();
        }
        Joined j = joined;
        joined = null;
        screen = null;
        subscriber = null;
        cameraPublished = false;
        negotiating = false;
        feeds.clear();
        subscribed.clear();
        streams = List.of();
        layerRequests.clear();
        if (j.client().isOpen()) {
            j.session().destroy().exceptionally(ignored -> null);
        }
        log.info("SFU session of {} in {} lost: {}", pid, room, why);
        send(new ServerMessage.SfuReset(why));
        return done();
    }

    private void feedCame(JsonNode publisher) {
        String id = publisher.path("id").asText("");
        if (id.isEmpty() || id.equals(pid) || id.equals(pid + SCREEN_SUFFIX)) {
            return;
        }
        feeds.put(id, publisher.path("streams"));
    }

    // ---- plumbing

    private void send(ServerMessage message) {
        if (!closed) {
            out.accept(message);
        }
    }

    private <T> CompletableFuture<T> step(Supplier<CompletableFuture<T>> work) {
        return step(work, false);
    }

    /** Runs {@code work} after every step before it has finished, however it finished. */
    private synchronized <T> CompletableFuture<T> step(Supplier<CompletableFuture<T>> work, boolean evenIfClosed) {
        CompletableFuture<T> result = tail.thenCompose(ignored -> {
            if (closed && !evenIfClosed) {
                return CompletableFuture.failedFuture(new Refusal(ErrorCode.NOT_SFU, "your media session has ended"));
            }
            try {
                return work.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
        tail = result.handle((value, failure) -> null);
        return result;
    }

    /** Queues Janus's news as a step of its own (from the Janus client's thread). */
    private void later(Supplier<CompletableFuture<Void>> work) {
        step(work, false).exceptionally(failure -> {
            if (!closed) {
                log.debug("an SFU step of {} failed: {}", pid, failure.toString());
            }
            return null;
        });
    }

    private ObjectNode body(String request) {
        return JsonNodeFactory.instance.objectNode().put("request", request);
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    private static JsonNode completed() {
        return JsonNodeFactory.instance.objectNode().put("completed", true);
    }

    /** Only the fields Janus reads, so a page cannot smuggle anything else into the request. */
    private static JsonNode candidateOf(JsonNode candidate) {
        ObjectNode clean = JsonNodeFactory.instance.objectNode();
        if (!candidate.path("candidate").isTextual()) {
            throw new Refusal(ErrorCode.BAD_JSON, "a candidate needs its \"candidate\" text");
        }
        clean.put("candidate", candidate.path("candidate").asText());
        if (candidate.path("sdpMid").isTextual()) {
            clean.put("sdpMid", candidate.path("sdpMid").asText());
        }
        if (candidate.path("sdpMLineIndex").isInt()) {
            clean.put("sdpMLineIndex", candidate.path("sdpMLineIndex").asInt());
        }
        return clean;
    }

    /** Whether the SDP's first m-line is audio with mid 0, which the host's mute refers to. */
    static boolean audioFirst(String sdp) {
        int m = sdp.indexOf("\nm=");
        if (m < 0 || !sdp.startsWith("audio", m + 3)) {
            return false;
        }
        int next = sdp.indexOf("\nm=", m + 3);
        String section = next < 0 ? sdp.substring(m) : sdp.substring(m, next);
        return section.contains("\na=mid:0\r") || section.contains("\na=mid:0\n");
    }
}
