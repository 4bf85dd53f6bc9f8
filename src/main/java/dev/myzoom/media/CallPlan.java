package dev.myzoom.media;

import dev.myzoom.protocol.ServerMessage.CallSettings;
import java.util.List;

/**
 * How calls are carried in a room: what rooms ask of the media plane, as they ask the store
 * through {@code RoomStore}. The mesh (browsers send to each other) is one plan; an SFU is
 * another. Rooms know nothing of either, only of this.
 */
public interface CallPlan {
    /** The most people one room may hold under this plan. */
    int capacity();

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
}
