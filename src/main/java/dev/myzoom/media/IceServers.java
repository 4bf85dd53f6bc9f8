package dev.myzoom.media;

import dev.myzoom.protocol.ServerMessage.CallSettings;
import dev.myzoom.protocol.ServerMessage.IceServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What browsers are told about ICE in every join reply: the STUN servers, and TURN with
 * credentials made for this participant. The page hard-codes nothing, so an operator changes
 * STUN and TURN in one place.
 */
public final class IceServers {
    private final List<String> stunUrls;
    private final Optional<TurnCredentials> turn;
    private final boolean forceRelay;

    /** @param forceRelay make browsers use only relayed candidates (for troubleshooting TURN) */
    public IceServers(List<String> stunUrls, Optional<TurnCredentials> turn, boolean forceRelay) {
        this.stunUrls = List.copyOf(stunUrls);
        this.turn = turn;
        this.forceRelay = forceRelay;
    }

    /** Settings for one participant's calls, with TURN credentials of their own: for the join ack only. */
    public CallSettings forParticipant(String pid) {
        List<IceServer> servers = new ArrayList<>(2);
        if (!stunUrls.isEmpty()) {
            servers.add(new IceServer(stunUrls, null, null));
        }
        turn.ifPresent(t -> servers.add(t.issue(pid)));
        return new CallSettings(servers, forceRelay ? "relay" : "all");
    }

    /**
     * Settings for a connection that has not joined a room (the pre-join screen's first offer):
     * STUN only. TURN credentials are for people in a room; handed to every WebSocket, they made
     * the relay open to anyone who could reach /ws.
     */
    public CallSettings beforeJoining() {
        List<IceServer> servers = stunUrls.isEmpty() ? List.of() : List.of(new IceServer(stunUrls, null, null));
        return new CallSettings(servers, forceRelay ? "relay" : "all");
    }
}
