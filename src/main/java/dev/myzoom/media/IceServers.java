package dev.myzoom.media;

import dev.myzoom.signal.ServerMessage.CallSettings;
import dev.myzoom.signal.ServerMessage.IceServer;
import java.util.List;

/**
 * What browsers are told about ICE in every join reply. The page hard-codes nothing, so an
 * operator changes STUN (and later TURN) in one place.
 */
public final class IceServers {
    private final List<String> stunUrls;

    public IceServers(List<String> stunUrls) {
        this.stunUrls = List.copyOf(stunUrls);
    }

    /** Settings for one participant's calls. */
    public CallSettings forParticipant(String pid) {
        List<IceServer> servers = stunUrls.isEmpty() ? List.of() : List.of(new IceServer(stunUrls, null, null));
        return new CallSettings(servers, "all");
    }
}
