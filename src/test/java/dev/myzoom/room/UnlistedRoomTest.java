package dev.myzoom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.ServerExtension;
import dev.myzoom.support.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Finding 6 of the security audit: every open room, random-named or locked, was listed to
 * anyone by /api/rooms and watchRooms, so "Random name" gave no privacy. A room opened with
 * unlisted is in no list, and anyone with its name still gets in.
 */
class UnlistedRoomTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension("ROOM_LIST_WINDOW_MS", "20");

    @Test
    void anUnlistedRoomIsInNoListButAnyoneWithTheLinkGetsIn() {
        try (WsClient watcher = server.connect(); WsClient opener = server.connect(); WsClient friend = server.connect()) {
            JsonNode before = watcher.ok("watchRooms");
            assertFalse(before.toString().contains("quiet-harbor"), before.toString());
            opener.ok("join", "room", "quiet-harbor-lantern-122", "nick", "Opener", "unlisted", true);
            opener.next("history");
            // Someone coming by the link asks for a listed room: the opener's choice stands.
            JsonNode ack = friend.ok("join", "room", "quiet-harbor-lantern-122", "nick", "Friend", "unlisted", false);
            assertEquals(2, ack.get("count").asInt());
            opener.next("joined");

            // A listed room opened afterwards shows up; the unlisted one never does.
            try (WsClient other = server.connect()) {
                other.join("book-club", "Other");
                JsonNode delta = watcher.next("rooms");
                assertTrue(delta.toString().contains("book-club"), delta.toString());
                assertFalse(delta.toString().contains("quiet-harbor"), delta.toString());
                assertFalse(server.get("/api/rooms").body().contains("quiet-harbor"));
                assertTrue(server.get("/api/rooms").body().contains("book-club"));
                try (WsClient late = server.connect()) {
                    assertFalse(late.ok("watchRooms").toString().contains("quiet-harbor"));
                }
                friend.ok("leave");
                opener.ok("leave");
                assertTrue(watcher.drain(Duration.ofMillis(300)).stream().noneMatch(m -> m.toString().contains("quiet-harbor")),
                        "its closing is not announced either");
            }
        }
    }
}
