package dev.myzoom.room;

/** Someone who can be in a room: the room knows them by id and sends them encoded frames. */
public interface Member {
    String pid();

    void send(String frame);
}
