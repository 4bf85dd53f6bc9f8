package dev.myzoom.room;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What rooms keep in the database: their password hash, and the meeting log. */
public interface RoomStore {
    /** The room's stored password hash; answered from memory, never waiting on the database. */
    Optional<String> passwordHash(String room);

    /** Stores (or with null clears) the password hash; completes once it is committed. */
    CompletableFuture<Void> savePassword(String room, String hash);

    /** The room opened on this node: its password (if any) holds while it is open. */
    default void opened(String room) {}

    /** The room closed: its password ends after the idle period unless it opens again. */
    default void closed(String room) {}

    void joined(String room, String pid, String nick);

    /** @param reason left, disconnected or removed */
    void left(String room, String pid, String nick, String reason);

    /**
     * Records what the administrator did: "kicked" someone (pid and nick), "closed" the room or
     * sent a "notice" (pid and nick null); {@code detail} is the notice's text.
     */
    default void admin(String room, String action, String pid, String nick, String detail) {}
}
