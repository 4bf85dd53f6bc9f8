package dev.myzoom.media.sfu;

import dev.myzoom.media.CallPlan;
import dev.myzoom.protocol.ServerMessage.CallSettings;
import java.util.List;

/**
 * Calls through the SFU when a room is big enough and a Janus answers, on the mesh otherwise:
 * rooms of two stay browser to browser (the lowest latency, and no load on the media server), and
 * from {@code SFU_FROM} people the whole room moves. Without a reachable Janus it is the mesh,
 * with the mesh's cap. The room-level requests that enforce the host's decisions (mute, remove)
 * and end a meeting's VideoRoom go through {@link SfuRooms}, with the room's secret.
 */
public final class SfuPlan implements CallPlan {
    private final CallPlan mesh;
    private final SfuRooms rooms;
    private final int sfuFrom;
    private final int maxParticipants;

    /**
     * @param mesh the plan for calls that stay browser to browser (its cap is the mesh's)
     * @param sfuFrom the head count from which a room's calls go through the SFU
     * @param maxParticipants the cap of a room while the SFU can be reached
     */
    public SfuPlan(CallPlan mesh, SfuRooms rooms, int sfuFrom, int maxParticipants) {
        this.mesh = mesh;
        this.rooms = rooms;
        this.sfuFrom = sfuFrom;
        this.maxParticipants = maxParticipants;
    }

    @Override
    public int capacity() {
        return rooms.available() ? Math.max(maxParticipants, mesh.capacity()) : mesh.capacity();
    }

    @Override
    public int meshCapacity() {
        return mesh.capacity();
    }

    @Override
    public boolean sfuAvailable() {
        return rooms.available();
    }

    @Override
    public String modeFor(int count) {
        return count >= sfuFrom && rooms.available() ? SFU : MESH;
    }

    @Override
    public CallSettings forParticipant(String pid) {
        return mesh.forParticipant(pid);
    }

    @Override
    public CallSettings beforeJoining() {
        return mesh.beforeJoining();
    }

    @Override
    public String firstOfferTo(List<String> present) {
        return mesh.firstOfferTo(present);
    }

    @Override
    public void closed(String room) {
        rooms.destroy(room);
    }

    @Override
    public void muted(String room, String pid) {
        rooms.moderate(room, pid, true);
    }

    @Override
    public void unmuted(String room, String pid) {
        rooms.moderate(room, pid, false);
    }

    @Override
    public void removed(String room, String pid) {
        rooms.kick(room, pid);
    }
}
