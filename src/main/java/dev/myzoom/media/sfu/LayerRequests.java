package dev.myzoom.media.sfu;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulcast layers one subscriber connection has asked Janus for, per mid, and the layers
 * Janus says it switched to, so that a change Janus took but never carried out is asked again.
 *
 * <p>Janus switches a subscriber to another layer only on a keyframe of that layer, and asks the
 * publisher for one (a PLI) when the layer is asked for. A browser ignores a PLI that follows
 * another closely (Chromium keeps 300 ms between keyframes), and Janus sends one of its own
 * whenever a layer stops for a moment, so under load the keyframe can come before the change and
 * none after: the subscriber then stays on the old layer for good (seen in CI as a 120 px tile
 * receiving 720 lines for 45 s). Asking again sends another PLI. Retries are capped: a layer the
 * publisher does not send (its bandwidth is short) can never be switched to, and each retry costs
 * the publisher a keyframe.
 *
 * <p>{@link Layers#OFF} (stop sending) has no report to wait for: Janus just stops. Turning a
 * mid back on sends a PLI too, and the next report confirms the layer.
 *
 * <p>Not thread-safe: it belongs to one {@link SfuParticipant}'s chain of steps.
 */
final class LayerRequests {
    /** How long Janus gets to switch before the layer is asked for again. */
    static final long RETRY_AFTER_NANOS = 2_000_000_000L;
    static final int MAX_RETRIES = 4;

    private record Asked(int layer, long atNanos, int retries) {}

    private final Map<String, Asked> asked = new HashMap<>();
    private final Map<String, Integer> switched = new HashMap<>();

    /**
     * What to send now: for each mid whose wanted layer was not asked for yet, or was asked for
     * a while ago and Janus has not reported the switch. Counts what it returns as asked.
     */
    Map<String, Integer> toAsk(Map<String, Integer> wantedByMid, long nowNanos) {
        Map<String, Integer> out = new LinkedHashMap<>();
        wantedByMid.forEach((mid, layer) -> {
            Asked last = asked.get(mid);
            if (last == null || last.layer() != layer) {
                asked.put(mid, new Asked(layer, nowNanos, 0));
                out.put(mid, layer);
            } else if (layer != Layers.OFF && !Integer.valueOf(layer).equals(switched.get(mid))
                    && nowNanos - last.atNanos() >= RETRY_AFTER_NANOS && last.retries() < MAX_RETRIES) {
                asked.put(mid, new Asked(layer, nowNanos, last.retries() + 1));
                out.put(mid, layer);
            }
        });
        return out;
    }

    /** Janus refused or never answered: these are not asked for. */
    void failed(Iterable<String> mids) {
        mids.forEach(asked::remove);
    }

    /** Janus says the mid now carries this layer. */
    void switched(String mid, int layer) {
        switched.put(mid, layer);
    }

    /** A new negotiation: the mids may carry other feeds now. */
    void clear() {
        asked.clear();
        switched.clear();
    }
}
