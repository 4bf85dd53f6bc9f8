package dev.myzoom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Finding 4 of the security audit: a password set by whoever was first outlived the room and
 * every restart, so anyone could keep any room name ("standup") for good. A lock now ends when
 * the room empties, and a password once the room has been empty for ROOM_PASSWORD_IDLE_SECONDS,
 * restarts included.
 */
class RoomSquattingTest {
    @Test
    void aPasswordEndsOnceTheRoomHasBeenEmptyForTheIdlePeriodRestartsIncluded() throws Exception {
        String db = "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        try (TestServer server = TestServer.start("DATABASE_URL", db, "ROOM_PASSWORD_IDLE_SECONDS", "3")) {
            try (WsClient squatter = server.connect()) {
                squatter.join("standup", "Squatter");
                squatter.ok("setPassword", "password", "mine now");
                squatter.ok("lock", "locked", true);
            }
            // Just closed: the password still holds, so a host whose connection dropped is not robbed.
            try (WsClient team = server.connect()) {
                assertEquals("password_required", team.call("join", "room", "standup", "nick", "Team").get("code").asText());
            }
        }
        // After a restart the grace starts again, and still ends.
        try (TestServer restarted = TestServer.start("DATABASE_URL", db, "ROOM_PASSWORD_IDLE_SECONDS", "3")) {
            try (WsClient team = restarted.connect()) {
                assertEquals("password_required", team.call("join", "room", "standup", "nick", "Team").get("code").asText());
            }
            Thread.sleep(3500);
            try (WsClient team = restarted.connect()) {
                var ack = team.join("standup", "Team");
                assertEquals(false, ack.get("hasPassword").asBoolean(), ack.toString());
                assertEquals(false, ack.get("locked").asBoolean(), "a lock ends with the room");
            }
        }
        // The sweep cleared it in the database too: a later server does not bring it back.
        try (TestServer later = TestServer.start("DATABASE_URL", db, "ROOM_PASSWORD_IDLE_SECONDS", "3");
                WsClient team = later.connect()) {
            team.join("standup", "Team");
        }
    }

    @Test
    void aPasswordHoldsForAsLongAsTheRoomIsOpen() throws Exception {
        try (TestServer server = TestServer.start("ROOM_PASSWORD_IDLE_SECONDS", "1");
                WsClient host = server.connect()) {
            host.join("long-meeting", "Host");
            host.ok("setPassword", "password", "kept while open");
            Thread.sleep(2500);
            try (WsClient stranger = server.connect()) {
                assertEquals("password_required", stranger.call("join", "room", "long-meeting", "nick", "S").get("code").asText());
                stranger.ok("join", "room", "long-meeting", "nick", "S", "password", "kept while open");
            }
        }
    }
}
