package dev.myzoom.signal;

import dev.myzoom.cluster.Bus;
import dev.myzoom.cluster.NodeMessage;
import dev.myzoom.protocol.ClientMessage;
import dev.myzoom.protocol.CloseCodes;
import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.MessageCodec;
import dev.myzoom.protocol.Refusal;
import dev.myzoom.protocol.ServerMessage;
import dev.myzoom.room.Names;
import dev.myzoom.room.RoomList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's side of a cluster. A room lives on one node, its home: a request about a room that
 * lives elsewhere is forwarded there as it came, and carried out there for a {@link RemoteClient};
 * what the room sends back comes through the node that holds the WebSocket. This class does both
 * halves: it finds a request's home and forwards it, and it takes in what other nodes send here
 * (forwarded requests, frames to deliver, seated/gone, room-list changes, a node's death). See
 * docs/architecture.md.
 */
final class ClusterRelay implements Bus.Listener {
    private static final Logger log = LoggerFactory.getLogger(ClusterRelay.class);

    /**
     * By pid: people connected to other nodes, in rooms that live here, or with a request under
     * way here. Changed only in {@code compute}, which also counts each one's queued messages.
     */
    private final Map<String, RemoteClient> remotes = new ConcurrentHashMap<>();
    /** Where a remote participant's join or takeover waits (a password's hash, Redis, the database). */
    private final java.util.concurrent.Executor workers;
    /** By node: what rooms here send to people connected there. */
    private final Map<String, NodeOutbox> outboxes = new ConcurrentHashMap<>();
    private final Bus bus;
    private final MessageCodec codec;
    private final Names names;
    private final Requests requests;
    private final Connections connections;
    private final RoomList roomList;
    private final Replies replies;
    private final FanOut fanOut;
    private final MediaRequests media;
    /** Requests for a room whose node no longer answered, by pid: sent again once the room is taken over. */
    private final Map<String, java.util.Deque<Stalled>> stalled = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService timer;
    private final java.time.Duration takeoverWait;
    /** Carries a request out again, as it first came (decoded anew, in the connection's lane). */
    private final java.util.function.BiConsumer<Connection, String> retry;

    /** A request waiting for its room's new home. */
    private record Stalled(String id, String frame) {}

    /** At most this many requests wait per connection; more get {@code unavailable} at once. */
    private static final int MAX_STALLED = 16;
    /** How often a waiting request is offered again to a home that lives but did not take it. */
    private static final long RETRY_MILLIS = 500;

    /**
     * @param takeoverWait how long a request for a room whose node stopped answering waits for the
     *     room to be taken over (the node timeout and a margin) before it gets {@code unavailable}
     */
    ClusterRelay(Bus bus, MessageCodec codec, Names names, Requests requests, Connections connections, RoomList roomList,
            Replies replies, FanOut fanOut, MediaRequests media, java.util.concurrent.ScheduledExecutorService timer,
            java.time.Duration takeoverWait, java.util.function.BiConsumer<Connection, String> retry,
            java.util.concurrent.Executor workers) {
        this.workers = workers;
        this.timer = timer;
        this.takeoverWait = takeoverWait;
        this.retry = retry;
        this.media = media;
        this.bus = bus;
        this.codec = codec;
        this.names = names;
        this.requests = requests;
        this.connections = connections;
        this.roomList = roomList;
        this.replies = replies;
        this.fanOut = fanOut;
        bus.listen(this);
    }

    /**
     * The other node that must carry out this request, or null if this node does: a request about
     * the room goes to the room's home, and so does a join of a room that lives elsewhere.
     */
    String homeFor(Connection c, ClientMessage message) {
        if (message instanceof ClientMessage.Join join) {
            // Validated before the claim: a join refused for its nickname claims nothing. Kept
            // here too, for a room on another node: should that node die, the room is taken over
            // with the nickname this node knows (the home may have made it distinct; it does again).
            String nick = names.nickname(join.nick());
            String home = bus.claim(names.roomName(join.room()));
            if (!home.equals(bus.node())) {
                c.nick = nick;
            }
            return home.equals(bus.node()) ? null : home;
        }
        if (message instanceof ClientMessage.Rename rename && c.home != null) {
            c.nick = names.nickname(rename.nick());
        }
        // The SFU's requests are carried out here, where the WebSocket is: SDP never crosses the cluster.
        boolean aboutTheRoom = !(message instanceof ClientMessage.WatchRooms || message instanceof ClientMessage.UnwatchRooms
                || message instanceof ClientMessage.Ping || MediaRequests.handles(message));
        return aboutTheRoom ? c.home : null;
    }

    /**
     * Sends the request, as it came, to the node that holds its room. If that node does not
     * listen, the request waits (see {@link #stall}): a chat line said in the gap arrives late,
     * not refused. While earlier requests wait, a new one waits behind them, so order holds.
     */
    void forward(Connection c, String home, String id, String frame) {
        java.util.Deque<Stalled> waiting = stalled.get(c.pid());
        if (waiting != null) {
            synchronized (waiting) {
                if (stalled.get(c.pid()) == waiting) {
                    queue(c, waiting, new Stalled(id, frame));
                    return;
                }
            }
        }
        bus.send(home, new NodeMessage.Forward(bus.node(), c.pid(), c.address(), frame)).thenAccept(delivered -> {
            if (!delivered) {
                stall(c, home, id, frame);
            }
        });
    }

    /**
     * The home did not take the request. Either it died, and the cluster has not buried it yet:
     * the request then waits for the room to be taken over and goes to its new home (see
     * {@link #resend}). Or it lives but is not listening yet (it is subscribing again after Redis
     * came back): the request is then offered to it again every {@link #RETRY_MILLIS} until it is
     * taken. Either way it gets {@code unavailable} after {@code takeoverWait}.
     */
    private void stall(Connection c, String home, String id, String frame) {
        java.util.Deque<Stalled> waiting;
        boolean first;
        while (true) {
            waiting = stalled.computeIfAbsent(c.pid(), pid -> new java.util.ArrayDeque<>());
            synchronized (waiting) {
                // A queue emptied and dropped meanwhile takes nothing more: take a new one.
                if (stalled.get(c.pid()) == waiting) {
                    first = waiting.isEmpty();
                    queue(c, waiting, new Stalled(id, frame));
                    break;
                }
            }
        }
        if (first) {
            java.util.Deque<Stalled> mine = waiting;
            timer.schedule(() -> offerAgain(c, home, mine), RETRY_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Puts the request in the queue, under its lock, with the timer that ends its wait. */
    private void queue(Connection c, java.util.Deque<Stalled> waiting, Stalled request) {
        if (waiting.size() >= MAX_STALLED) {
            c.reply(unavailable(request.id()));
            return;
        }
        waiting.add(request);
        timer.schedule(() -> {
            boolean expired;
            synchronized (waiting) {
                expired = waiting.remove(request);
                if (waiting.isEmpty()) {
                    // Nothing left for a takeover that never came: no empty queue stays behind.
                    stalled.remove(c.pid(), waiting);
                }
            }
            if (expired) {
                c.reply(unavailable(request.id()));
            }
        }, takeoverWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Sends the oldest waiting request to the home again, while the connection's home is still
     * that node and the connection is still here: once the room is taken over, {@link #resend}
     * carries the queue out instead.
     */
    private void offerAgain(Connection c, String home, java.util.Deque<Stalled> waiting) {
        Stalled head;
        synchronized (waiting) {
            head = waiting.peek();
            if (head == null || stalled.get(c.pid()) != waiting || !home.equals(c.home) || connections.byPid(c.pid()) != c) {
                return;
            }
        }
        java.util.concurrent.CompletionStage<Boolean> sent;
        try {
            sent = bus.send(home, new NodeMessage.Forward(bus.node(), c.pid(), c.address(), head.frame()));
        } catch (Bus.Unavailable e) {
            sent = java.util.concurrent.CompletableFuture.completedFuture(false);
        }
        sent.whenComplete((delivered, error) -> {
            boolean next = false;
            if (error == null && Boolean.TRUE.equals(delivered)) {
                synchronized (waiting) {
                    waiting.remove(head);
                    if (waiting.isEmpty()) {
                        stalled.remove(c.pid(), waiting);
                    } else {
                        next = true;
                    }
                }
            }
            timer.schedule(() -> offerAgain(c, home, waiting), next ? 0 : RETRY_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        });
    }

    /**
     * The connection is seated in the room's new home: what waited for it is carried out once the
     * room has settled (said who is in it), so that a chat line said in the gap reaches everyone
     * who comes back, not only those seated before it.
     */
    private void resendOnceSettled(Connection c) {
        if (stalled.containsKey(c.pid())) {
            timer.schedule(() -> resend(c), dev.myzoom.room.Room.TAKEOVER_SETTLE_MILLIS + 500, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** What waited for the connection's room is carried out now, in order. */
    private void resend(Connection c) {
        java.util.Deque<Stalled> waiting = stalled.remove(c.pid());
        if (waiting == null) {
            return;
        }
        List<Stalled> now;
        synchronized (waiting) {
            now = List.copyOf(waiting);
            waiting.clear();
        }
        now.forEach(request -> c.lane.run(() -> retry.accept(c, request.frame()), false));
    }

    static ServerMessage unavailable(String id) {
        return new ServerMessage.Error(id, ErrorCode.UNAVAILABLE.wire(),
                "the server holding this room cannot be reached; try again in a moment");
    }

    /** A connection here closed: the node that holds its room lets it go. */
    void disconnected(Connection c) {
        if (c.home != null) {
            tell(bus, c.home, new NodeMessage.Gone(c.pid(), "disconnected"));
        }
    }

    @Override
    public void received(NodeMessage message) {
        if (message instanceof NodeMessage.Deliver deliver) {
            for (String pid : deliver.pids()) {
                Connection c = connections.byPid(pid);
                if (c != null) {
                    c.send(deliver.frame());
                }
            }
        } else if (message instanceof NodeMessage.Forward forward) {
            forwarded(forward);
        } else if (message instanceof NodeMessage.Seated seated) {
            seated(seated);
        } else if (message instanceof NodeMessage.Gone gone) {
            inLane(gone.pid(), null, client -> requests.leave(client, gone.reason()), false);
        } else if (message instanceof NodeMessage.Rehome rehome) {
            // Reads the room's state from Redis and its recording from the database: on a worker.
            inLane(rehome.pid(), pid -> remote(pid, rehome.from(), rehome.address()),
                    client -> requests.takeOver(client, rehome.room(), rehome.nick(), rehome.media(), rehome.mode()), true);
        } else if (message instanceof NodeMessage.RoomChanged changed) {
            roomList.changed(changed.count());
        }
    }

    private RemoteClient remote(String pid, String node, String address) {
        return new RemoteClient(pid, replies, node, address, bus, outboxes.computeIfAbsent(node, n -> new NodeOutbox(n, bus, fanOut)),
                new RequestLane(workers));
    }

    /**
     * Carries out {@code task} for the remote participant {@code pid}, in the order their node
     * sent it. This runs on {@code bus-in}, the one thread that takes every node's messages, so
     * what may wait (a join: its password's hash, up to 10 s when the checker is busy; a
     * takeover) goes to a worker, and that person's later messages queue behind it there, as a
     * local connection's do (see {@link RequestLane}). Everyone else's messages go on at once.
     * Someone in no room once their last queued message is done is forgotten.
     *
     * @param create makes the participant if unknown here; null: the message is for someone known
     */
    private void inLane(String pid, java.util.function.Function<String, RemoteClient> create,
            java.util.function.Consumer<RemoteClient> task, boolean mayWait) {
        RemoteClient[] held = new RemoteClient[1];
        remotes.compute(pid, (key, known) -> {
            RemoteClient client = known != null ? known : create != null ? create.apply(key) : null;
            if (client != null) {
                client.queued++;
            }
            held[0] = client;
            return client;
        });
        RemoteClient client = held[0];
        if (client == null) {
            return;
        }
        client.lane.run(() -> {
            try {
                task.accept(client);
            } catch (RuntimeException e) {
                // A lane whose task threw would run nothing after it.
                log.error("failed to handle a message for {} from node {}", pid, client.node(), e);
            } finally {
                remotes.compute(pid, (key, known) -> {
                    if (known != client) {
                        return known;
                    }
                    client.queued--;
                    return client.queued == 0 && client.room == null ? null : client;
                });
            }
        }, mayWait);
    }

    /** A request from a participant on another node, about a room that lives here. */
    private void forwarded(NodeMessage.Forward forward) {
        ClientMessage message;
        Refusal refused = null;
        try {
            message = codec.decode(forward.frame());
        } catch (Refusal refusal) {
            message = null;
            refused = refusal;
        }
        ClientMessage request = message;
        Refusal refusal = refused;
        inLane(forward.pid(), pid -> remote(pid, forward.from(), forward.address()),
                client -> carryOut(client, request, refusal), message instanceof ClientMessage.Join);
    }

    private void carryOut(RemoteClient client, ClientMessage message, Refusal undecodable) {
        if (undecodable != null) {
            client.reply(new ServerMessage.Error(null, undecodable.code().wire(), undecodable.getMessage()));
            return;
        }
        try {
            requests.handle(client, message);
        } catch (Refusal refusal) {
            client.reply(new ServerMessage.Error(message.id(), refusal.code().wire(), refusal.getMessage()));
        } catch (RuntimeException e) {
            log.error("failed to handle a message from {} on node {}", client.pid(), client.node(), e);
            client.reply(new ServerMessage.Error(message.id(), ErrorCode.INTERNAL.wire(), "internal error; the request was not carried out"));
        }
    }

    /** A room on another node took one of our connections in, or let it go. */
    private void seated(NodeMessage.Seated seated) {
        Connection c = connections.byPid(seated.pid());
        if (c == null) {
            // They disconnected while the join was on its way.
            if (seated.room() != null) {
                tell(bus, seated.node(), new NodeMessage.Gone(seated.pid(), "disconnected"));
            }
            return;
        }
        if (seated.room() == null) {
            if (seated.node().equals(c.home)) {
                c.home = null;
                c.remoteRoom = null;
                media.end(c);
            }
            return;
        }
        // Entering the new room came first; now leave the old one, wherever it is.
        requests.leave(c, "left");
        if (c.home != null && !c.home.equals(seated.node())) {
            tell(bus, c.home, new NodeMessage.Gone(c.pid(), "left"));
        }
        c.home = seated.node();
        c.remoteRoom = seated.room();
    }

    @Override
    public void nodeGone(String node) {
        // In their lanes: a join of theirs still under way seats them first, then they leave.
        remotes.values().stream().filter(client -> client.node().equals(node)).map(RemoteClient::pid).toList()
                .forEach(pid -> inLane(pid, null, client -> requests.leave(client, "disconnected"), false));
        outboxes.remove(node);
        // Our connections in rooms that lived there stay, and the room is taken over: the first
        // node to claim it holds it now, and each node seats its own people there again, as
        // they were, calls and all (see Room.rejoin). Only if that fails are they told to
        // reconnect, as before.
        // Until then their requests still go to the dead node, are not delivered, and wait (see forward).
        connections.participants().stream().filter(c -> node.equals(c.home)).forEach(c -> {
            String room = c.remoteRoom;
            c.lane.run(() -> rehome(c, node, room), true);
        });
    }

    private void rehome(Connection c, String deadHome, String room) {
        if (!deadHome.equals(c.home) || !room.equals(c.remoteRoom)) {
            return;
        }
        c.home = null;
        c.remoteRoom = null;
        String callMode = c.sfu != null ? dev.myzoom.media.CallPlan.SFU : dev.myzoom.media.CallPlan.MESH;
        try {
            String home = bus.claim(room);
            if (home.equals(bus.node())) {
                requests.takeOver(c, room, c.nick, c.media, callMode);
                resendOnceSettled(c);
                return;
            }
            c.home = home;
            c.remoteRoom = room;
            bus.send(home, new NodeMessage.Rehome(bus.node(), c.pid(), c.address(), room, c.nick, c.media, callMode))
                    .thenAccept(delivered -> {
                        if (!delivered) {
                            lost(c);
                        } else {
                            resendOnceSettled(c);
                        }
                    });
        } catch (RuntimeException e) {
            log.warn("could not take room {} over for {}: {}", room, c.pid(), e.toString());
            lost(c);
        }
    }

    /** The room could not be taken over: the page reconnects, and its rejoin opens the room anew. */
    private void lost(Connection c) {
        stalled.remove(c.pid());
        c.home = null;
        c.remoteRoom = null;
        media.end(c);
        c.close(CloseCodes.SERVICE_RESTART, "the server holding the room went away");
    }

    /** Tells another node something that may be lost: the node's own timeout covers it. */
    static void tell(Bus bus, String node, NodeMessage message) {
        try {
            bus.send(node, message);
        } catch (Bus.Unavailable e) {
            log.debug("could not tell node {}: {}", node, e.getMessage());
        }
    }
}
