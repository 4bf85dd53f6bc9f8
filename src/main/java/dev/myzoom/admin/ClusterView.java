package dev.myzoom.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.cluster.Bus;
import dev.myzoom.room.Room;
import dev.myzoom.room.Rooms;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin panel shows of the whole cluster. Every node shares a report of itself through
 * the bus every few seconds (its connections, the rooms it holds and who is in them); any node's
 * panel reads them all. Each node also keeps the last minutes of cluster totals, for the charts.
 */
public final class ClusterView {
    private static final Logger log = LoggerFactory.getLogger(ClusterView.class);
    static final int SAMPLES = 150;

    /** A participant as the panel shows them; {@code node} is where their WebSocket is. */
    public record Person(String pid, String nick, String node, long joinedAt, boolean audio, boolean video, boolean screen) {}

    /**
     * @param mode how its calls travel: "p2p" (two people, browser to browser), "mesh" (more,
     *     browser to browser) or "sfu"
     * @param janus the Janus its calls go through, when they do
     */
    public record RoomReport(String room, String home, boolean locked, List<Person> participants, String mode, String janus) {}

    public record NodeReport(String node, long at, int connections, double messagesIn, List<RoomReport> rooms) {}

    /** One point of the charts: when, how many people, and chat and signaling messages per second. */
    public record Sample(long at, int participants, double messagesPerSecond) {}

    private final Bus bus;
    private final Rooms rooms;
    private final IntSupplier connections;
    private final MeterRegistry registry;
    private final ObjectMapper json;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private double lastMessages = -1;
    private long lastAt;

    private final java.util.function.Function<String, Optional<String>> janusOf;

    /** @param janusOf the Janus a room's SFU calls go through (empty without an SFU) */
    public ClusterView(Bus bus, Rooms rooms, IntSupplier connections, MeterRegistry registry, ObjectMapper json,
            java.util.function.Function<String, Optional<String>> janusOf) {
        this.janusOf = janusOf;
        this.bus = bus;
        this.rooms = rooms;
        this.connections = connections;
        this.registry = registry;
        this.json = json;
    }

    /** Shares this node's report and samples the cluster's totals; run every few seconds. */
    public synchronized void tick() {
        try {
            bus.share(json.writeValueAsString(ownReport()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        List<NodeReport> nodes = nodes();
        long now = System.currentTimeMillis();
        double messages = nodes.stream().mapToDouble(NodeReport::messagesIn).sum();
        int people = nodes.stream().flatMap(n -> n.rooms().stream()).mapToInt(r -> r.participants().size()).sum();
        double rate = lastMessages < 0 || now <= lastAt ? 0 : Math.max(0, (messages - lastMessages) * 1000.0 / (now - lastAt));
        lastMessages = messages;
        lastAt = now;
        samples.addLast(new Sample(now, people, rate));
        while (samples.size() > SAMPLES) {
            samples.removeFirst();
        }
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    NodeReport ownReport() {
        List<RoomReport> held = new ArrayList<>();
        for (Room room : rooms.held()) {
            List<Person> people = room.participants().stream().map(this::person).toList();
            if (!people.isEmpty()) {
                boolean sfu = dev.myzoom.media.CallPlan.SFU.equals(room.mode());
                held.add(new RoomReport(room.name(), bus.node(), room.isPrivate(), people,
                        sfu ? "sfu" : people.size() <= 2 ? "p2p" : "mesh", sfu ? janusOf.apply(room.name()).orElse(null) : null));
            }
        }
        double messages = registry.find("myzoom.messages.in").counters().stream().mapToDouble(Counter::count).sum();
        return new NodeReport(bus.node(), System.currentTimeMillis(), connections.getAsInt(), messages, held);
    }

    private Person person(Room.Participant p) {
        return new Person(p.pid(), p.nick(), p.node() != null ? p.node() : bus.node(), p.joinedAt(),
                p.media().audio(), p.media().video(), p.media().screen());
    }

    /** Every live node's last report, this node's own fresh; sorted by node id. */
    public List<NodeReport> nodes() {
        List<NodeReport> reports = new ArrayList<>();
        reports.add(ownReport());
        for (String report : bus.reports()) {
            try {
                NodeReport r = json.readValue(report, NodeReport.class);
                if (!r.node().equals(bus.node())) {
                    reports.add(r);
                }
            } catch (JsonProcessingException e) {
                log.warn("ignoring a node report that does not parse: {}", e.getOriginalMessage());
            }
        }
        reports.sort(Comparator.comparing(NodeReport::node));
        return reports;
    }

    /** The node that holds the room, if a live node does. */
    public Optional<String> homeOf(String room) {
        return nodes().stream().flatMap(n -> n.rooms().stream()).filter(r -> r.room().equals(room))
                .map(RoomReport::home).findFirst();
    }

    /** The room a participant is in, and that room's home. */
    public Optional<RoomReport> roomOf(String pid) {
        return nodes().stream().flatMap(n -> n.rooms().stream())
                .filter(r -> r.participants().stream().anyMatch(p -> p.pid().equals(pid))).findFirst();
    }
}
