package dev.myzoom.room;

import dev.myzoom.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The news of a big room's comings, goings and media changes, gathered for a moment and sent as
 * one {@code roster} message. When fifty people join in a minute, or a room of fifty mutes and
 * unmutes, each page would otherwise get a message, and lay out its tiles, for every single
 * change; gathered, a page gets at most one roster message per {@link #WINDOW}.
 *
 * <p>Each member hears only the changes made after they were seated (their join ack already told
 * them the room as it was) and none about themselves, as with the messages sent one by one. A
 * person's media changes within one batch fold into the last. Not thread-safe: the room holds
 * it under its lock.
 */
final class RosterBatch {
    /** Rooms of this many people or more have their roster news gathered. */
    static final int FROM = 10;
    /** How long the news is gathered before it goes out. */
    static final Duration WINDOW = Duration.ofMillis(150);

    private record Change(long seq, String pid, ServerMessage message) {}

    private final List<Change> pending = new ArrayList<>();
    /** When each member was seated, as the sequence number of the last change before. */
    private final Map<String, Long> seatedAt = new HashMap<>();
    private long seq;

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** A member was seated: they hear only what changes from now on. */
    void seated(String pid) {
        seatedAt.put(pid, seq);
    }

    /** A member left: nothing more is gathered for them. */
    void gone(String pid) {
        seatedAt.remove(pid);
    }

    /**
     * Adds news about {@code pid}. A media change replaces the one still waiting for the same
     * person, since only the last state matters.
     *
     * @return whether this opened a batch, which the room must then send after {@link #WINDOW}
     */
    boolean add(String pid, ServerMessage message) {
        boolean opened = pending.isEmpty();
        if (message instanceof ServerMessage.MediaChanged) {
            pending.removeIf(c -> c.pid().equals(pid) && c.message() instanceof ServerMessage.MediaChanged);
        }
        pending.add(new Change(++seq, pid, message));
        return opened;
    }

    /** What {@code member} is to hear of the batch: the news since they came, but of themselves. */
    List<ServerMessage> forMember(String member) {
        long since = seatedAt.getOrDefault(member, Long.MAX_VALUE);
        List<ServerMessage> news = new ArrayList<>();
        for (Change change : pending) {
            if (change.seq() > since && !change.pid().equals(member)) {
                news.add(change.message());
            }
        }
        return news;
    }

    /** The batch went out. */
    void clear() {
        pending.clear();
    }
}
