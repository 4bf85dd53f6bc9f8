package dev.myzoom.signal;

import dev.myzoom.cluster.Bus;
import dev.myzoom.cluster.NodeMessage;
import dev.myzoom.protocol.ClientMessage;
import dev.myzoom.protocol.CloseCodes;
import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.Refusal;
import dev.myzoom.protocol.ServerMessage;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resume that lands on another node than the one holding its participant, as it will behind a
 * load balancer without sticky sessions. The participant does not move: its room, its calls and
 * its Janus session stay where they are. The new socket becomes its socket through the bus: the
 * page's node sends every frame the page sends on as it came, and the participant's node sends
 * every frame for the page back as a {@link NodeMessage.Deliver} to the socket's key (the pid
 * the page's node gave that connection). This is LiveKit's signal relay: a signal connection on
 * any node, the participant on one.
 *
 * <p>Both halves are here. On the page's node: {@link #resumeThere}, {@link #relay},
 * {@link #closed}, and the answers ({@code resumed}, {@code closeSocket}). On the participant's
 * node: {@code resume}, {@code relay} and {@code socketClosed}, handed to {@link Resumption} and
 * the endpoint. A node that dies takes its half with it: the page's node gone is a cut socket
 * (the page may resume again, anywhere); the participant's node gone closes the page's socket
 * with 1012, and the page joins afresh.
 */
final class ResumeRelay implements Bus.Listener {
    private static final Logger log = LoggerFactory.getLogger(ResumeRelay.class);

    private final Bus bus;
    private final Connections connections;
    private final Resumption resumption;
    /** The endpoint's handling of a frame from a page, for a participant whose page is elsewhere. */
    private final BiConsumer<Connection, String> frames;

    ResumeRelay(Bus bus, Connections connections, Resumption resumption, BiConsumer<Connection, String> frames) {
        this.bus = bus;
        this.connections = connections;
        this.resumption = resumption;
        this.frames = frames;
        bus.listen(this);
    }

    // ---- On the page's node ----

    /** {@code fresh} asks to resume a participant of another node: its frames go there from now on. */
    void resumeThere(Connection fresh, ClientMessage.Resume request) {
        if (fresh.roomName() != null) {
            throw new Refusal(ErrorCode.RESUME_FAILED, "resume comes first on a new connection, before any join");
        }
        String node = resumption.nodeOf(request.token());
        fresh.proxyTo = node;
        // The participant's node decides what may be large; an SFU answer must get through.
        fresh.allowLargeFrames(MediaRequests.MAX_SFU_SDP_CHARS + 4096);
        boolean sent;
        try {
            bus.send(node, new NodeMessage.Resume(bus.node(), fresh.pid(), request.token(), request.received(), request.id()))
                    .thenAccept(delivered -> {
                        if (!delivered) {
                            refused(fresh, request.id(), "the server holding this participant cannot be reached; join again");
                        }
                    });
            sent = true;
        } catch (Bus.Unavailable e) {
            sent = false;
        }
        if (!sent) {
            refused(fresh, request.id(), "the server holding this participant cannot be reached; join again");
        }
    }

    /** A frame from a page whose participant is on {@code node}: it goes there as it came. */
    void relay(Connection proxy, String node, String frame) {
        try {
            bus.send(node, new NodeMessage.Relay(bus.node(), proxy.pid(), frame)).thenAccept(delivered -> {
                if (!delivered) {
                    lost(proxy, node);
                }
            });
        } catch (Bus.Unavailable e) {
            lost(proxy, node);
        }
    }

    /** The page's socket here closed: its participant's node hears how. */
    void closed(Connection proxy, int status) {
        String node = proxy.proxyTo;
        if (node == null) {
            return;
        }
        proxy.proxyTo = null;
        // This node going down (1012) is, for a participant held elsewhere, a cut like any other:
        // the page comes back through another node and resumes.
        int how = status == CloseCodes.SERVICE_RESTART ? 1006 : status;
        ClusterRelay.tell(bus, node, new NodeMessage.SocketClosed(bus.node(), proxy.pid(), how));
    }

    private void refused(Connection fresh, String id, String why) {
        if (fresh.proxyTo != null) {
            fresh.proxyTo = null;
            fresh.reply(new ServerMessage.Error(id, ErrorCode.RESUME_FAILED.wire(), why));
        }
    }

    /** The participant's node no longer answers: the page reconnects, and resumes or joins afresh. */
    private void lost(Connection proxy, String node) {
        if (node.equals(proxy.proxyTo)) {
            proxy.close(CloseCodes.SERVICE_RESTART, "the server holding this participant cannot be reached");
        }
    }

    // ---- Both ----

    @Override
    public void received(NodeMessage message) {
        if (message instanceof NodeMessage.Resume resume) {
            Connection.Remote socket = new BusSocket(bus, resume.from(), resume.socket());
            String refusal = null;
            try {
                resumption.resume(socket, resume.token(), resume.received(), resume.id());
            } catch (Refusal r) {
                refusal = r.getMessage();
            }
            ClusterRelay.tell(bus, resume.from(), new NodeMessage.Resumed(resume.socket(), resume.id(), refusal));
        } else if (message instanceof NodeMessage.Relay relay) {
            Connection c = connections.byRemote(relay.from(), relay.socket());
            if (c != null) {
                frames.accept(c, relay.frame());
            } else {
                log.debug("a frame for socket {} of node {}, which carries nobody here now", relay.socket(), relay.from());
            }
        } else if (message instanceof NodeMessage.SocketClosed closed) {
            Connection c = connections.byRemote(closed.from(), closed.socket());
            if (c != null) {
                connections.detachRemote(closed.from(), closed.socket());
                c.lane.run(() -> resumption.closed(c, closed.status()), true);
            }
        } else if (message instanceof NodeMessage.Resumed resumed) {
            Connection proxy = connections.byPid(resumed.socket());
            if (proxy == null) {
                return;
            }
            if (resumed.refusal() != null) {
                refused(proxy, resumed.id(), resumed.refusal());
            } else {
                // The socket is the other node's participant now; its own token dies.
                resumption.revoke(proxy);
            }
        } else if (message instanceof NodeMessage.CloseSocket close) {
            Connection proxy = connections.byPid(close.socket());
            if (proxy != null && proxy.proxyTo != null) {
                proxy.close(close.code(), close.reason());
            }
        }
    }

    @Override
    public void nodeGone(String node) {
        // Pages here whose participants were there: they are gone; the pages join afresh.
        connections.all().stream().filter(c -> node.equals(c.proxyTo)).forEach(c -> lost(c, node));
        // Participants here whose pages were there: their sockets are cut.
        for (Connection c : connections.detachRemotes(node)) {
            c.lane.run(() -> resumption.closed(c, 1006), true);
        }
    }

    /** A page's socket on another node, as its participant here sees it. */
    private record BusSocket(Bus bus, String node, String key) implements Connection.Remote {
        @Override
        public void send(String frame) {
            ClusterRelay.tell(bus, node, new NodeMessage.Deliver(List.of(key), frame));
        }

        @Override
        public void close(int code, String reason) {
            ClusterRelay.tell(bus, node, new NodeMessage.CloseSocket(key, code, reason));
        }
    }
}
