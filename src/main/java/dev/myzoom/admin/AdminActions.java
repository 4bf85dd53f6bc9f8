package dev.myzoom.admin;

import dev.myzoom.cluster.Bus;
import dev.myzoom.cluster.NodeMessage;
import dev.myzoom.room.Rooms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the administrator's actions on the rooms this node holds, whichever node's panel
 * asked. Every node has one, with or without a panel of its own.
 */
public final class AdminActions implements Bus.Listener {
    private static final Logger log = LoggerFactory.getLogger(AdminActions.class);
    private final Rooms rooms;
    private final Bus bus;

    public AdminActions(Rooms rooms, Bus bus) {
        this.rooms = rooms;
        this.bus = bus;
        bus.listen(this);
    }

    /** Does it here if this node holds the room, else sends it to the node that does. */
    void request(String home, NodeMessage.AdminAction action) {
        if (home.equals(bus.node())) {
            apply(action);
        } else {
            bus.send(home, action);
        }
    }

    /**
     * Clears the password of a room that no node holds, here: its hash is in the shared
     * database. Completes once that is committed.
     */
    java.util.concurrent.CompletableFuture<Void> clearPasswordOfClosedRoom(String room) {
        return rooms.clearPassword(room);
    }

    @Override
    public void received(NodeMessage message) {
        if (message instanceof NodeMessage.AdminAction action) {
            apply(action);
        }
    }

    private void apply(NodeMessage.AdminAction action) {
        switch (action.action()) {
            case "kick" -> rooms.expel(action.room(), action.pid());
            case "close" -> rooms.close(action.room(), action.text());
            case "notice" -> rooms.notice(action.room(), action.text());
            case "clear-password" -> rooms.clearPassword(action.room());
            default -> log.warn("unknown admin action {}", action.action());
        }
    }
}
