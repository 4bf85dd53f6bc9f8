package dev.myzoom.media.mesh;

import dev.myzoom.media.CallPlan;
import dev.myzoom.media.IceServers;
import dev.myzoom.protocol.ServerMessage.CallSettings;
import java.util.List;

/**
 * Calls as a full mesh: every browser sends its media to every other, so the cap is small
 * (MAX_MESH_PARTICIPANTS), and nothing needs setting up when a room opens. The newcomer calls
 * everyone; its first call, made on the pre-join screen, goes to whoever has been in the room
 * longest (docs/protocol.md, "How a call is set up").
 */
public final class MeshPlan implements CallPlan {
    private final int capacity;
    private final IceServers iceServers;

    public MeshPlan(int capacity, IceServers iceServers) {
        this.capacity = capacity;
        this.iceServers = iceServers;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public CallSettings forParticipant(String pid) {
        return iceServers.forParticipant(pid);
    }

    @Override
    public CallSettings beforeJoining() {
        return iceServers.beforeJoining();
    }

    @Override
    public String firstOfferTo(List<String> present) {
        return present.isEmpty() ? null : present.get(0);
    }
}
