package dev.myzoom.media.sfu;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myzoom.media.janus.JanusClient;
import dev.myzoom.media.janus.JanusException;
import dev.myzoom.media.janus.JanusLink;
import dev.myzoom.media.janus.JanusServers;
import dev.myzoom.media.janus.VideoRoom;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meeting rooms as VideoRooms: on which Janus a room lives, making sure it exists there, and the
 * room-level requests (destroy, moderate, kick) that need its secret. A new room goes to the
 * live instance with the most headroom, counted in streams (every node's publishers' and
 * subscribers' m-lines there) under a cap per instance, fewer rooms breaking ties; draining
 * instances get none. The choice is claimed in {@link Placements}, so every node agrees, and
 * the room stays there for its life: only if its instance dies is it placed again, and its
 * participants, whose sessions died with it, publish and subscribe there by themselves. Creating
 * is idempotent ("already exists" is fine), so whichever node needs the room first makes it.
 */
public final class SfuRooms {
    private static final Logger log = LoggerFactory.getLogger(SfuRooms.class);
    /** VideoRoom's error codes that this class acts on. */
    static final int NO_SUCH_ROOM = 426;
    static final int ROOM_EXISTS = 427;
    static final int NO_SUCH_FEED = 428;

    /** Where a room lives: the connection to its Janus, and its VideoRoom id there. */
    public record Placement(JanusClient client, String roomId) {}

    private final Supplier<Optional<JanusServers>> servers;
    private final RoomKeys keys;
    private final int publishers;
    private final Placements placements;
    private final int maxStreams;
    /** The instance each room was last found on by this node, for the admin panel. */
    private final Map<String, String> seenOn = new ConcurrentHashMap<>();
    /** Rooms known to exist, by VideoRoom id: on which connection they were made (a new connection means a new Janus). */
    private final Map<String, Made> made = new ConcurrentHashMap<>();

    private record Made(JanusClient client, CompletableFuture<Void> done) {}

    /**
     * Rooms being recorded, by VideoRoom id: the folder (a path on the Janus host) their
     * recordings go to. A room made again on another Janus, after its own died, records on there.
     */
    private final Map<String, String> recordingInto = new ConcurrentHashMap<>();

    /**
     * @param servers the Janus instances, once they are started
     * @param publishers the most publishers per room (cameras and screens)
     * @param maxStreams the most streams an instance takes new rooms up to
     */
    public SfuRooms(Supplier<Optional<JanusServers>> servers, RoomKeys keys, int publishers, Placements placements, int maxStreams) {
        this.servers = servers;
        this.keys = keys;
        this.publishers = publishers;
        this.placements = placements;
        this.maxStreams = maxStreams;
    }

    /** An instance as the admin panel and /metrics show it: up, draining or down, with its rooms and streams. */
    public record Instance(String name, String state, int rooms, int streams) {}

    /** Every instance this node knows, with the cluster's view of its load. */
    public CompletableFuture<List<Instance>> instances() {
        return placements.load().thenApply(load -> links().stream().map(link -> {
            String name = name(link);
            String state = !link.up() ? "down" : load.draining().contains(name) ? "draining" : "up";
            return new Instance(name, state, load.rooms().getOrDefault(name, 0), load.streamsOn(name));
        }).toList());
    }

    /** Marks an instance as draining (it gets no new rooms; its rooms finish there), or not; false if there is no such instance. */
    public boolean drain(String instance, boolean draining) {
        if (link(instance).isEmpty()) {
            return false;
        }
        log.info("media server {} {}", instance, draining ? "drains: no new rooms" : "takes new rooms again");
        placements.drain(instance, draining);
        return true;
    }

    /** Whether some Janus answers now. */
    public boolean available() {
        return servers.get().map(s -> s.links().stream().anyMatch(JanusLink::up)).orElse(false);
    }

    /**
     * The room's Janus and its VideoRoom there, made if needed. Fails with
     * {@link JanusException#CLOSED} when no Janus can be reached.
     */
    public CompletableFuture<Placement> place(String room) {
        return instanceFor(room).thenCompose(link -> {
            Optional<JanusClient> client = link.client();
            Optional<VideoRoom> control = link.rooms();
            if (client.isEmpty() || control.isEmpty()) {
                return CompletableFuture.failedFuture(new JanusException(JanusException.CLOSED, "no media server can be reached"));
            }
            String id = keys.roomId(room);
            Made entry = made.compute(id, (key, old) -> old != null && old.client() == client.get() && !old.done().isCompletedExceptionally()
                    ? old : new Made(client.get(), create(control.get(), id)));
            return entry.done().thenApply(done -> new Placement(entry.client(), id));
        });
    }

    /**
     * The room's instance: the one that holds it, while it is up; otherwise the best one now,
     * claimed for the room (another node's claim may win, and is then taken).
     */
    private CompletableFuture<JanusLink> instanceFor(String room) {
        return placements.holder(room).thenCompose(held -> {
            Optional<JanusLink> holder = held.flatMap(this::link).filter(JanusLink::up);
            if (holder.isPresent()) {
                seenOn.put(room, name(holder.get()));
                return CompletableFuture.completedFuture(holder.get());
            }
            return placements.load().thenCompose(load -> {
                Optional<JanusLink> best = links().stream()
                        .filter(JanusLink::up)
                        .filter(link -> !load.draining().contains(name(link)))
                        .filter(link -> load.streamsOn(name(link)) < maxStreams)
                        .min(Comparator.<JanusLink>comparingInt(link -> load.streamsOn(name(link)))
                                .thenComparingInt(link -> load.rooms().getOrDefault(name(link), 0))
                                .thenComparingInt(link -> (room + "@" + name(link)).hashCode() * 0x9E3779B1));
                if (best.isEmpty()) {
                    return CompletableFuture.<JanusLink>failedFuture(new JanusException(JanusException.CLOSED,
                            "no media server can take another meeting (all down, draining or full)"));
                }
                if (held.isPresent()) {
                    log.info("room {} was on {}, which is down; placing it again", room, held.get());
                }
                return placements.claim(room, name(best.get()), held).thenApply(winner -> {
                    JanusLink link = link(winner).filter(JanusLink::up).orElseThrow(() ->
                            new JanusException(JanusException.CLOSED, "the room's media server " + winner + " cannot be reached from here"));
                    seenOn.put(room, winner);
                    return link;
                });
            });
        });
    }

    /** Forgets that a room exists on its Janus, after Janus said it does not (it was destroyed meanwhile). */
    public void forget(String room) {
        made.remove(keys.roomId(room));
    }

    /** This node's streams on each instance, for placement by load (see {@link Placements#report}). */
    public void report(Map<String, Integer> streams) {
        placements.report(streams);
    }

    /** The room's meeting is over: its VideoRoom goes, and whoever is still in it is dropped. */
    public CompletableFuture<Void> destroy(String room) {
        String id = keys.roomId(room);
        made.remove(id);
        recordingInto.remove(id);
        seenOn.remove(room);
        return placements.holder(room).thenCompose(held -> {
            held.ifPresent(instance -> placements.release(room, instance));
            Optional<VideoRoom> control = held.flatMap(this::link).filter(JanusLink::up).flatMap(JanusLink::rooms);
            if (control.isEmpty()) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            return control.get().destroy(id, keys.secret(id));
        }).exceptionally(failure -> {
            int code = JanusException.of(failure).code();
            if (code != NO_SUCH_ROOM) {
                log.debug("could not destroy the VideoRoom of {}: {}", room, JanusException.of(failure).getMessage());
            }
            return null;
        });
    }

    /**
     * Stops (or lets through again) a participant's audio in Janus: {@code moderate} on the
     * camera connection's audio, whose mid is "0" (the page's first transceiver; publish checks it).
     */
    public CompletableFuture<Void> moderate(String room, String pid, boolean mute) {
        return roomRequest(room, "moderate", body -> body.put("id", pid).put("mid", "0").put("mute", mute));
    }

    /** Drops a participant's publishers (camera and screen) from the room in Janus. */
    public CompletableFuture<Void> kick(String room, String pid) {
        return CompletableFuture.allOf(
                roomRequest(room, "kick", body -> body.put("id", pid)),
                roomRequest(room, "kick", body -> body.put("id", pid + SfuParticipant.SCREEN_SUFFIX)));
    }

    /**
     * Starts recording the room's publishers (each stream into its own {@code .mjr} file in
     * {@code folder}, on the Janus host), or stops it (an empty folder). The room is made on its
     * Janus first if it is not there yet; publishers who come later are recorded too. Fails if
     * no Janus can be reached or Janus refuses.
     */
    public CompletableFuture<Void> record(String room, Optional<String> folder) {
        String id = keys.roomId(room);
        if (folder.isEmpty()) {
            recordingInto.remove(id);
            return heldControl(room).thenCompose(control -> control.isEmpty()
                    ? CompletableFuture.<Void>completedFuture(null)
                    : enableRecording(control.get(), id, false));
        }
        recordingInto.put(id, folder.get());
        return place(room).thenCompose(placed -> heldControl(room)).thenCompose(control -> {
            if (control.isEmpty()) {
                return CompletableFuture.failedFuture(new JanusException(JanusException.CLOSED, "no media server can be reached"));
            }
            // The folder is the room's from now on: made earlier, the room had another (or none).
            ObjectNode edit = control.get().body("edit").put("room", id).put("secret", keys.secret(id))
                    .put("new_rec_dir", folder.get());
            return control.get().handle().request(edit).thenCompose(done -> enableRecording(control.get(), id, true));
        });
    }

    private CompletableFuture<Void> enableRecording(VideoRoom control, String id, boolean on) {
        ObjectNode body = control.body("enable_recording").put("room", id).put("secret", keys.secret(id)).put("record", on);
        return control.handle().request(body).thenApply(reply -> null);
    }

    /** The ids of the room's publishers that Janus knows now ({@code listparticipants}). */
    public CompletableFuture<java.util.Set<String>> publishers(String room, String roomId) {
        return heldControl(room).thenCompose(control -> control.isEmpty()
                ? CompletableFuture.failedFuture(new JanusException(JanusException.CLOSED, "no media server can be reached"))
                : control.get().participants(roomId)).thenApply(list -> {
            java.util.Set<String> ids = new java.util.HashSet<>();
            list.forEach(p -> {
                if (p.path("publisher").asBoolean()) {
                    ids.add(p.path("id").asText());
                }
            });
            return ids;
        });
    }

    /**
     * The Janus a room's calls go through now, for the admin panel: as the placements say (the
     * room's home may have no one of its own in the SFU, and a failover may have moved the room
     * from another node), else where this node last saw it.
     */
    public Optional<String> instanceOf(String room) {
        try {
            Optional<String> held = placements.holder(room).get(1, java.util.concurrent.TimeUnit.SECONDS);
            if (held.isPresent()) {
                return held;
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Redis is slow or away: what this node saw last will do for a panel.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.ofNullable(seenOn.get(room));
    }

    /**
     * A room-level request with the room's id and secret, and the fields {@code fields} adds; a
     * room or participant Janus no longer has is not a failure.
     */
    private CompletableFuture<Void> roomRequest(String room, String request, java.util.function.Consumer<ObjectNode> fields) {
        String id = keys.roomId(room);
        return heldControl(room).thenCompose(control -> {
            if (control.isEmpty()) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            ObjectNode body = control.get().body(request).put("room", id).put("secret", keys.secret(id));
            fields.accept(body);
            return control.get().handle().request(body).<Void>thenApply(reply -> null);
        }).exceptionally(failure -> {
            int code = JanusException.of(failure).code();
            if (code != NO_SUCH_ROOM && code != NO_SUCH_FEED) {
                log.warn("a room request on the VideoRoom of {} failed: {}", room, JanusException.of(failure).getMessage());
            }
            return null;
        });
    }

    private CompletableFuture<Void> create(VideoRoom control, String id) {
        ObjectNode options = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("publishers", publishers)
                .put("audiocodec", "opus")
                .put("videocodec", "vp8")
                // Only the servers' own sessions may subscribe: the private id comes from their join.
                .put("require_pvtid", true)
                // Talking events for the speaker view: an average level above -40 dBov over 40
                // packets (0.8 s) is talking, so the stage follows within about a second. Janus's
                // defaults (100 packets, -25 dBov) take 2 s and miss quiet voices.
                .put("audiolevel_event", true)
                .put("audio_active_packets", 40)
                .put("audio_level_average", 40)
                .put("notify_joining", false)
                // Only the servers, which hold the secret, may start or stop a recording.
                .put("lock_record", true);
        String folder = recordingInto.get(id);
        if (folder != null) {
            options.put("record", true).put("rec_dir", folder);
        }
        return control.create(id, keys.secret(id), options).exceptionally(failure -> {
            if (JanusException.of(failure).code() == ROOM_EXISTS) {
                return null;
            }
            throw JanusException.of(failure);
        });
    }

    /** The VideoRoom plugin handle on the room's instance, if it is placed and that instance is up. */
    private CompletableFuture<Optional<VideoRoom>> heldControl(String room) {
        return placements.holder(room).thenApply(held -> {
            held.ifPresent(instance -> seenOn.put(room, instance));
            return held.flatMap(this::link).filter(JanusLink::up).flatMap(JanusLink::rooms);
        });
    }

    private List<JanusLink> links() {
        return servers.get().map(JanusServers::links).orElse(List.of());
    }

    private Optional<JanusLink> link(String instance) {
        return links().stream().filter(link -> name(link).equals(instance)).findFirst();
    }

    /** An instance's name everywhere: its WebSocket URL. */
    public static String name(JanusLink link) {
        return link.uri().toString();
    }
}
