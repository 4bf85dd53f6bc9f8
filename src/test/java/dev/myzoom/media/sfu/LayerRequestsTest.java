package dev.myzoom.media.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a layer change is sent to Janus again: SfuBrowserTest shows it on real pages. */
class LayerRequestsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aNewLayerIsAskedForOnceAndAgainOnlyIfJanusHasNotSwitchedAfterAWhile() {
        LayerRequests requests = new LayerRequests();
        assertEquals(Map.of("1", 0), requests.toAsk(Map.of("1", 0), 0));
        assertEquals(Map.of(), requests.toAsk(Map.of("1", 0), SECOND), "asked a second ago");
        assertEquals(Map.of("1", 0), requests.toAsk(Map.of("1", 0), 3 * SECOND), "no switch after 3 s: ask again");
        requests.switched("1", 0);
        assertEquals(Map.of(), requests.toAsk(Map.of("1", 0), 10 * SECOND), "Janus switched");
        assertEquals(Map.of("1", 2), requests.toAsk(Map.of("1", 2), 10 * SECOND), "a larger tile");
    }

    @Test
    void retriesStopAfterAFewForALayerThePublisherDoesNotSend() {
        LayerRequests requests = new LayerRequests();
        int sent = 0;
        for (int s = 0; s < 60; s++) {
            sent += requests.toAsk(Map.of("1", 2), s * SECOND).size();
        }
        assertEquals(1 + LayerRequests.MAX_RETRIES, sent);
    }

    @Test
    void aRefusedChangeAndANewNegotiationAreAskedForAtOnce() {
        LayerRequests requests = new LayerRequests();
        requests.toAsk(Map.of("1", 0, "3", 1), 0);
        requests.failed(List.of("1"));
        assertEquals(Map.of("1", 0), requests.toAsk(Map.of("1", 0, "3", 1), 1));
        requests.switched("3", 1);
        requests.clear();
        assertEquals(Map.of("1", 0, "3", 1), requests.toAsk(Map.of("1", 0, "3", 1), 2));
    }
}
