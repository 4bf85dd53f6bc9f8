package dev.myzoom.signal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last frames sent to one participant, numbered from their connection's welcome (frame 1),
 * so that a page that lost its connection can say how many it got and be sent the rest on its
 * new one. Frames that went into a socket that had already died (the server learns of a dead
 * peer only later) are among them, as are those sent while the participant had no socket. At
 * most {@code maxChars} are kept, every connection having its own: a frame larger than that (a
 * long chat history, say) is not kept at all, and a page that missed it, or more than that,
 * cannot resume and joins afresh.
 */
final class Replay {
    private record Sent(long seq, String frame) {}

    private final long maxChars;
    private final Deque<Sent> kept = new ArrayDeque<>();
    private long chars;
    private long sent;

    Replay(long maxChars) {
        this.maxChars = maxChars;
    }

    /** Numbers a frame that is being sent, and keeps it. Called under the connection's send lock. */
    void record(String frame) {
        ++sent;
        if (frame.length() > maxChars) {
            kept.clear();
            chars = 0;
            return;
        }
        kept.addLast(new Sent(sent, frame));
        chars += frame.length();
        while (chars > maxChars && kept.size() > 1) {
            chars -= kept.removeFirst().frame().length();
        }
    }

    /**
     * The frames after the first {@code received}, in order; null if some of them are no longer
     * kept, or if the page claims more than was sent.
     */
    List<String> after(long received) {
        if (received < 0 || received > sent) {
            return null;
        }
        long oldestKept = kept.isEmpty() ? sent + 1 : kept.peekFirst().seq();
        if (received + 1 < oldestKept) {
            return null;
        }
        List<String> missed = new ArrayList<>();
        for (Sent s : kept) {
            if (s.seq() > received) {
                missed.add(s.frame());
            }
        }
        return missed;
    }
}
