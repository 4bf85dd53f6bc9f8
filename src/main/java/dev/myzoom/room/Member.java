package dev.myzoom.room;

/** Someone who can be in a room: the room knows them by id and sends them encoded frames. */
public interface Member {
    String pid();

    /** Queues a frame for this member without waiting; rooms call it while holding their lock. */
    void send(String frame);

    /** The host removed this member from {@code room}; called under the room's lock. */
    default void evicted(Room room) {}

    /** The node this member is connected to, or null for this one. */
    default String node() {
        return null;
    }
}
