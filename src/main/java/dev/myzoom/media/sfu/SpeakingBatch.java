package dev.myzoom.media.sfu;

import dev.myzoom.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Who is talking in one page's room, as Janus's {@code talking} events tell it, sent to the page
 * as one {@code speaking} message with the whole set at most once per window. Janus sends an event
 * per change per publisher, so in a room of fifty noisy microphones a page would get a message
 * for every one of them; gathered, a page gets at most four a second, whatever the room's size.
 * Sending the set rather than the changes also means a lost or late message never leaves a tile
 * lit: the next one says who talks now. A voice that starts and stops inside one window is
 * never sent at all, which also keeps a cough off the stage.
 */
public final class SpeakingBatch {
    /** How long changes are gathered before the set goes out. */
    public static final Duration WINDOW = Duration.ofMillis(250);

    private final ScheduledExecutorService timer;
    private final Duration window;
    private final Consumer<ServerMessage> out;

    // Guarded by this: Janus's events come on the participant's chain, the flush on the timer.
    private final Set<String> talking = new LinkedHashSet<>();
    private List<String> sent = List.of();
    private boolean flushScheduled;
    private boolean closed;

    public SpeakingBatch(ScheduledExecutorService timer, Duration window, Consumer<ServerMessage> out) {
        this.timer = timer;
        this.window = window;
        this.out = out;
    }

    /** Janus says {@code pid} started ({@code true}) or stopped talking. */
    public synchronized void changed(String pid, boolean isTalking) {
        boolean moved = isTalking ? talking.add(pid) : talking.remove(pid);
        if (!moved || flushScheduled || closed) {
            return;
        }
        flushScheduled = true;
        timer.schedule(this::flush, window.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Nothing more goes out (the participant left the SFU). */
    public synchronized void close() {
        closed = true;
    }

    private void flush() {
        List<String> now;
        synchronized (this) {
            flushScheduled = false;
            now = new ArrayList<>(talking);
            if (closed || now.equals(sent)) {
                return;
            }
            sent = List.copyOf(now);
        }
        out.accept(new ServerMessage.Speaking(now));
    }
}
