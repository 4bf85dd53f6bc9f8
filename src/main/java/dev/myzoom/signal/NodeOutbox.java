package dev.myzoom.signal;

import dev.myzoom.cluster.Bus;
import dev.myzoom.cluster.NodeMessage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What rooms here send to the participants on one other node. A broadcast hands every member
 * the same encoded frame, so consecutive frames that are one and the same go to that node as a
 * single message naming all their recipients: a line in a room of 50 split over two nodes is one
 * publish, not 25. On the fan-out thread the outbox is sent when the task ends (see
 * {@link FanOut}); anywhere else at once, after whatever was waiting, so each participant still
 * gets frames in the order the room sent them.
 */
final class NodeOutbox implements FanOut.Buffered {
    private static final Logger log = LoggerFactory.getLogger(NodeOutbox.class);

    private record Pending(String frame, List<String> pids) {}

    private final String node;
    private final Bus bus;
    private final FanOut fanOut;
    private final List<Pending> pending = new ArrayList<>();

    NodeOutbox(String node, Bus bus, FanOut fanOut) {
        this.node = node;
        this.bus = bus;
        this.fanOut = fanOut;
    }

    void send(String pid, String frame) {
        synchronized (this) {
            Pending last = pending.isEmpty() ? null : pending.get(pending.size() - 1);
            // The same instance, not equal text: two sends of equal text are two messages.
            if (last != null && last.frame() == frame) {
                last.pids().add(pid);
            } else {
                List<String> pids = new ArrayList<>();
                pids.add(pid);
                pending.add(new Pending(frame, pids));
            }
        }
        if (fanOut.buffering()) {
            fanOut.flushLater(this);
        } else {
            flush();
        }
    }

    @Override
    public synchronized void flush() {
        for (Pending p : pending) {
            try {
                bus.send(node, new NodeMessage.Deliver(p.pids(), p.frame()));
            } catch (Bus.Unavailable e) {
                log.debug("lost a frame for {} on node {}: {}", p.pids(), node, e.getMessage());
            }
        }
        pending.clear();
    }
}
