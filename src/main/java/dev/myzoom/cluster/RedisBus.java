package dev.myzoom.cluster;

import dev.myzoom.protocol.RandomIds;
import dev.myzoom.concurrency.DaemonThreads;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.protocol.ServerMessage.RoomCount;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's bus on Redis (Lettuce). What lives there:
 * <ul>
 * <li>{@code myzoom:node:<id>}, a key each node sets every beat with a short expiry: while it
 * exists, the node is alive. {@code myzoom:nodes} is the set of ids, so that nodes find each other.
 * <li>{@code myzoom:home:<room>}, the node that holds the room;
 * <li>{@code myzoom:rooms}, a hash of room to "count|locked|node", for the room list;
 * <li>the channel {@code myzoom:to:<id>} for messages to one node, and {@code myzoom:all} for all.
 * </ul>
 * Nothing there is precious: after Redis restarts, every node puts back what it holds at its next
 * beat, and Lettuce reconnects and subscribes again by itself. Every message is signed with
 * CLUSTER_SECRET ({@link BusSeal}); one that is unsigned, badly signed or too old is dropped.
 */
public final class RedisBus implements Bus {
    private static final Logger log = LoggerFactory.getLogger(RedisBus.class);
    private static final String PREFIX = "myzoom:";
    private static final String NODES = PREFIX + "nodes";
    private static final String ROOMS = PREFIX + "rooms";
    private static final String ALL = PREFIX + "all";
    /** A node is buried after this many beats in a row without its key. */
    private static final int MISSES_TO_BURY = 3;

    // Claims the room unless a live node other than us holds it.
    private static final String CLAIM = """
            local holder = redis.call('GET', KEYS[1])
            if holder and holder ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. holder) == 1 then
              return holder
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
            return ARGV[1]""";
    // Lets go of the room and its line in the room list, if they are still ours.
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
            local line = redis.call('HGET', KEYS[2], ARGV[2])
            if line and string.sub(line, -string.len(ARGV[1])) == ARGV[1] then redis.call('HDEL', KEYS[2], ARGV[2]) end
            return 0""";

    private final String node;
    private final Duration beat;
    private final Duration keyExpiry;
    private final ObjectMapper json;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final ExecutorService inbound = Executors.newSingleThreadExecutor(DaemonThreads.named("bus-in"));
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("bus-beat"));
    /** The rooms this node holds, with their last counts, to put back after Redis forgets them. */
    private final Map<String, RoomCount> held = new ConcurrentHashMap<>();
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    /** Held rooms that the room list does not show. */
    private final Set<String> unlisted = ConcurrentHashMap.newKeySet();
    private final Set<String> buried = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> misses = new ConcurrentHashMap<>();
    private final Timer publishes;
    private final BusSeal seal;
    private final DropLog drops;
    private final MeterRegistry registry;
    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean reachable = true;
    private final RedisPlacements placements;
    private volatile int beatsSinceOutage;

    /**
     * Connects to Redis and starts beating.
     *
     * @param nodeTimeout how long a node may be silent before the others bury it
     * @throws io.lettuce.core.RedisException if Redis cannot be reached now
     */
    public RedisBus(String url, String secret, Duration nodeTimeout, ObjectMapper json, MeterRegistry registry) {
        this.publishes = Timer.builder("myzoom.bus.publish").description("time from publishing to Redis to its reply")
                .publishPercentileHistogram().register(registry);
        this.registry = registry;
        this.node = RandomIds.hex(6);
        this.seal = new BusSeal(secret, node, java.time.Clock.systemUTC());
        this.drops = new DropLog(java.time.Clock.systemUTC());
        this.json = json;
        // Beats come six times per timeout and the key outlives three of them: a node is buried
        // when its key has been gone for three beats, so within the timeout of its last beat.
        this.beat = nodeTimeout.dividedBy(6);
        this.keyExpiry = beat.multipliedBy(3);
        this.client = RedisClient.create(RedisURI.create(url));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While Redis is away, fail at once rather than queue: the caller tells the user.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .build());
        this.connection = client.connect();
        this.redis = connection.sync();
        this.placements = new RedisPlacements(connection.async(), node, json, java.time.Clock.systemUTC());
        this.pubSub = client.connectPubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                try {
                    inbound.execute(() -> arrived(channel, message));
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // The node is shutting down.
                }
            }
        });
        pubSub.sync().subscribe(channelOf(node), ALL);
        beat();
        long millis = beat.toMillis();
        beats.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
        log.info("node {} joined the cluster at {}", node, RedisURI.create(url).toURI().getHost());
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public CompletionStage<Boolean> send(String to, NodeMessage message) {
        return publish(channelOf(to), message);
    }

    private CompletionStage<Boolean> publish(String channel, NodeMessage message) {
        if (!connection.isOpen()) {
            throw new Unavailable("Redis cannot be reached");
        }
        long start = System.nanoTime();
        return connection.async().publish(channel, seal.seal(channel, encode(message)))
                .thenApply(receivers -> {
                    publishes.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    return receivers > 0;
                })
                .exceptionally(failure -> {
                    outage(failure);
                    return false;
                });
    }

    @Override
    public String claim(String room) {
        // What this node holds is recorded once the room has people (roomChanged), so a join
        // refused after the claim leaves nothing to put back after a Redis restart. Without
        // Redis, a room is served where its first comer is.
        return guarded(() -> claimNow(room), () -> node);
    }

    /** Claims the room for this node unless a live node holds it; answers the holder. */
    private String claimNow(String room) {
        return redis.eval(CLAIM, ScriptOutputType.VALUE, new String[] {homeKey(room)}, node, PREFIX + "node:", homeTtl());
    }

    @Override
    public void keepState(String room, RoomState state) {
        guarded(() -> {
            String key = stateKey(room);
            // Pids are hex: a comma cannot be in one.
            Recorded recording = state.recording();
            connection.async().hset(key, Map.of("host", state.host() == null ? "" : state.host(), "locked", state.locked() ? "1" : "0",
                    "hands", String.join(",", state.hands()), "micsLocked", state.micsLocked() ? "1" : "0",
                    "recording", recording == null ? "" : recording.id(), "recordingBy", recording == null ? "" : recording.by(),
                    "recordingSince", recording == null ? "0" : String.valueOf(recording.since()),
                    // Digests and pids are hex, expiries digits: neither ',' nor ':' is in one.
                    "tickets", String.join(",", state.tickets().stream()
                            .map(t -> t.digest() + ":" + t.pid() + ":" + t.expiry()).toList())));
            // A room whose node died and that nobody took over leaves no key for good.
            connection.async().expire(key, Duration.ofDays(1).toSeconds());
        });
    }

    @Override
    public java.util.Optional<RoomState> state(String room) {
        return guarded(() -> {
            Map<String, String> kept = redis.hgetall(stateKey(room));
            return kept.isEmpty() ? java.util.Optional.<RoomState>empty()
                    : java.util.Optional.of(new RoomState(kept.getOrDefault("host", ""), "1".equals(kept.get("locked")),
                            kept.getOrDefault("hands", "").isEmpty() ? List.of() : List.of(kept.get("hands").split(",")),
                            "1".equals(kept.get("micsLocked")), recordedIn(kept), ticketsIn(kept)));
        }, java.util.Optional::empty);
    }

    private static List<KeptTicket> ticketsIn(Map<String, String> kept) {
        List<KeptTicket> tickets = new java.util.ArrayList<>();
        for (String t : kept.getOrDefault("tickets", "").split(",")) {
            String[] parts = t.split(":");
            if (parts.length == 3) {
                try {
                    tickets.add(new KeptTicket(parts[0], parts[1], Long.parseLong(parts[2])));
                } catch (NumberFormatException e) {
                    // Not one of ours: skipped.
                }
            }
        }
        return tickets;
    }

    private static Recorded recordedIn(Map<String, String> kept) {
        String id = kept.getOrDefault("recording", "");
        if (id.isEmpty()) {
            return null;
        }
        long since;
        try {
            since = Long.parseLong(kept.getOrDefault("recordingSince", "0"));
        } catch (NumberFormatException e) {
            since = 0;
        }
        return new Recorded(id, kept.getOrDefault("recordingBy", ""), since);
    }

    @Override
    public dev.myzoom.media.sfu.Placements placements() {
        return placements;
    }

    @Override
    public void release(String room) {
        held.remove(room);
        unlisted.remove(room);
        guarded(() -> redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {homeKey(room), ROOMS}, node, room));
        guarded(() -> redis.del(stateKey(room)));
    }

    @Override
    public void roomChanged(RoomCount count, boolean listed) {
        if (count.count() > 0) {
            held.put(count.room(), count);
            if (!listed) {
                unlisted.add(count.room());
            }
        }
        if (!listed) {
            // Held here all the same (its home key is kept), but in no list and told to nobody.
            return;
        }
        guarded(() -> {
            if (count.count() > 0) {
                connection.async().hset(ROOMS, count.room(), line(count));
            }
            publish(ALL, new NodeMessage.RoomChanged(count));
        });
    }

    @Override
    public List<RoomCount> rooms() {
        return guarded(() -> {
            List<RoomCount> counts = new ArrayList<>();
            redis.hgetall(ROOMS).forEach((room, line) -> {
                String[] parts = line.split("\\|");
                if (parts.length == 3 && !buried.contains(parts[2])) {
                    counts.add(new RoomCount(room, Integer.parseInt(parts[0]), Boolean.parseBoolean(parts[1])));
                }
            });
            return RoomCounts.sorted(counts);
        }, () -> RoomCounts.sorted(held.values()));
    }

    /** The live nodes, this one included. */
    private List<String> nodes() {
        return guarded(() -> {
            List<String> live = new ArrayList<>();
            for (String id : redis.smembers(NODES)) {
                if (redis.exists(nodeKey(id)) == 1) {
                    live.add(id);
                }
            }
            return live.stream().sorted().toList();
        }, () -> List.of(node));
    }

    @Override
    public void share(String report) {
        guarded(() -> connection.async().set(reportKey(node), report, SetArgs.Builder.px(keyExpiry.toMillis())));
    }

    @Override
    public List<String> reports() {
        return guarded(() -> {
            List<String> reports = new ArrayList<>();
            for (String id : nodes()) {
                String report = redis.get(reportKey(id));
                if (report != null) {
                    reports.add(report);
                }
            }
            return reports;
        }, List::of);
    }

    @Override
    public boolean reachable() {
        return reachable;
    }

    @Override
    public void close() {
        beats.shutdownNow();
        try {
            // Leaving cleanly: the others need not wait for the key to expire.
            redis.del(nodeKey(node));
            for (String room : held.keySet()) {
                release(room);
                redis.publish(ALL, seal.seal(ALL, encode(new NodeMessage.RoomChanged(new RoomCount(room, 0, false)))));
            }
        } catch (RuntimeException e) {
            log.debug("could not say goodbye to Redis: {}", e.toString());
        }
        inbound.shutdown();
        pubSub.close();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** Sets our key, puts back what Redis forgot, and buries nodes that stopped beating. */
    private void beat() {
        try {
            String before = redis.setGet(nodeKey(node), "1", SetArgs.Builder.px(keyExpiry.toMillis()));
            redis.sadd(NODES, node);
            if (before == null) {
                putBack();
            }
            if (!reachable) {
                reachable = true;
                log.info("Redis is reachable again; the cluster is whole");
            }
            beatsSinceOutage++;
            // A room's home key lives while its node beats for it; a claim nobody follows up (a
            // join refused after it, a node that died) is gone by itself a minute later.
            for (String room : held.keySet()) {
                redis.pexpire(homeKey(room), homeTtlMillis());
            }
            sweep();
        } catch (RuntimeException e) {
            outage(e);
        }
    }

    /** How long a room's home key lives without a beat: several node timeouts. */
    private long homeTtlMillis() {
        return Math.max(30_000, keyExpiry.toMillis() * 8);
    }

    private String homeTtl() {
        return String.valueOf(homeTtlMillis());
    }

    private void putBack() {
        for (RoomCount count : held.values()) {
            String home = claimNow(count.room());
            if (!home.equals(node)) {
                log.warn("room {} is held both here and on node {} (they split while Redis was away)", count.room(), home);
            } else if (count.count() > 0 && !unlisted.contains(count.room())) {
                redis.hset(ROOMS, count.room(), line(count));
            }
        }
    }

    private void sweep() {
        watched.addAll(redis.smembers(NODES));
        watched.remove(node);
        // Right after an outage, others have not beaten yet: wait a beat before counting misses.
        if (beatsSinceOutage < 2) {
            return;
        }
        for (String other : watched) {
            if (redis.exists(nodeKey(other)) == 1) {
                misses.remove(other);
            } else if (misses.merge(other, 1, Integer::sum) >= MISSES_TO_BURY) {
                bury(other);
            }
        }
    }

    private void bury(String dead) {
        log.warn("node {} stopped beating; its participants and rooms are gone", dead);
        watched.remove(dead);
        misses.remove(dead);
        buried.add(dead);
        redis.srem(NODES, dead);
        redis.hgetall(ROOMS).forEach((room, line) -> {
            // Whoever removes the line tells the others, so the room list hears it once.
            if (line.endsWith("|" + dead) && redis.hdel(ROOMS, room) == 1) {
                publish(ALL, new NodeMessage.RoomChanged(new RoomCount(room, 0, false)));
            }
        });
        inbound.execute(() -> listeners.forEach(l -> l.nodeGone(dead)));
    }

    private void arrived(String channel, String message) {
        BusSeal.Opened opened = seal.open(channel, message);
        if (opened.refusal() != null) {
            int space = message.indexOf(' ');
            drops.dropped(opened.refusal(), channel, space < 0 ? null : message.substring(0, space));
            registry.counter("myzoom.bus.dropped", "reason", opened.refusal()).increment();
            return;
        }
        String from = opened.from();
        if (channel.equals(ALL) && from.equals(node)) {
            return;
        }
        NodeMessage decoded;
        try {
            decoded = json.readValue(opened.body(), NodeMessage.class);
        } catch (JsonProcessingException e) {
            log.warn("ignoring a message from node {} that does not parse: {}", from, e.getOriginalMessage());
            return;
        }
        for (Listener l : listeners) {
            try {
                l.received(decoded);
            } catch (RuntimeException e) {
                log.error("failed to handle a message from node {}", from, e);
            }
        }
    }

    /**
     * Runs a Redis call whose failure the node rides out: the outage is noted (and logged once),
     * and the call's result is what {@code fallback} gives.
     */
    private <T> T guarded(Supplier<T> call, Supplier<T> fallback) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            outage(e);
            return fallback.get();
        }
    }

    private void guarded(Runnable call) {
        guarded(() -> {
            call.run();
            return null;
        }, () -> null);
    }

    // The keys, all under PREFIX (see the class comment).
    private static String nodeKey(String id) {
        return PREFIX + "node:" + id;
    }

    private static String homeKey(String room) {
        return PREFIX + "home:" + room;
    }

    private static String stateKey(String room) {
        return PREFIX + "state:" + room;
    }

    private static String reportKey(String id) {
        return PREFIX + "report:" + id;
    }

    private void outage(Throwable failure) {
        beatsSinceOutage = 0;
        if (reachable) {
            reachable = false;
            log.warn("Redis cannot be reached ({}); serving the rooms this node holds until it is back", failure.toString());
        }
    }

    private String encode(NodeMessage message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message, e);
        }
    }

    private String line(RoomCount count) {
        return count.count() + "|" + count.locked() + "|" + node;
    }

    private static String channelOf(String node) {
        return PREFIX + "to:" + node;
    }

}
