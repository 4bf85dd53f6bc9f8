package dev.myzoom.media;

import dev.myzoom.protocol.ServerMessage.CallSettings;
import java.util.List;

/**
 * How calls are carried in a room: what rooms ask of the media plane, as they ask the store
 * through {@code RoomStore}. The mesh (browsers send to each other) is one plan; an SFU is
 * another. Rooms know nothing of either, only of this.
 */
public interface CallPlan {
    /** How calls travel: browser to browser, or through the media server. */
    String MESH = "mesh";
    String SFU = "sfu";

    /** The most people one room may hold now (with an SFU, while it can be reached). */
    int capacity();

    /** The most people a mesh call carries: a room in the SFU returns to the mesh only at or below it. */
    default int meshCapacity() {
        return capacity();
    }

    /** Whether a media server can carry calls now. */
    default boolean sfuAvailable() {
        return false;
    }

    /** How a room of {@code count} people should carry its calls now: {@link #MESH} or {@link #SFU}. */
    default String modeFor(int count) {
        return MESH;
    }

    /** A participant's call settings, for the join ack: ICE servers with their own TURN credentials. */
    CallSettings forParticipant(String pid);

    /** Call settings for a connection that has not joined (the pre-join screen): no TURN. */
    CallSettings beforeJoining();

    /**
     * Who receives the first offer a newcomer sends with its join.
     *
     * @param present the pids already in the room, longest present first (never empty)
     * @return one of them, or null if the offer goes to nobody
     */
    String firstOfferTo(List<String> present);

    /** The room opened on this node (its first member is seated). */
    default void opened(String room) {}

    /** The room closed on this node (its last member left). */
    default void closed(String room) {}

    /** The host muted {@code pid}: with an SFU, their audio stops in the media server too. */
    default void muted(String room, String pid) {}

    /** {@code pid}, muted by the host, turned their microphone back on. */
    default void unmuted(String room, String pid) {}

    /** {@code pid} was sent out of the room: with an SFU, the media server drops their media at once. */
    default void removed(String room, String pid) {}
}
