package dev.myzoom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.ServerExtension;
import dev.myzoom.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hosts, locks, passwords, and what a host may do to others: over real WebSockets. */
class PrivateRoomTest {
    @RegisterExtension
    // A cut connection waits this long for its page to resume before the room hears it left (ResumeTest).
    static final ServerExtension server = new ServerExtension("RESUME_SECONDS", "1");

    @Test
    void theFirstPersonHostsAndHostingPassesOnWhenTheyLeave() {
        try (WsClient first = server.connect(); WsClient second = server.connect(); WsClient third = server.connect()) {
            assertEquals(first.pid, first.join("hosted", "First").get("host").asText());
            assertEquals(first.pid, second.join("hosted", "Second").get("host").asText());
            third.join("hosted", "Third");
            first.ok("leave");
            assertEquals(second.pid, third.next("host").get("pid").asText());
            second.ok("lock", "locked", true); // the new host may now lock
        }
    }

    @Test
    void aLockedRoomRefusesNewcomersAndIsShownAsLockedButLetsItsOwnBack() {
        try (WsClient host = server.connect(); WsClient guest = server.connect(); WsClient late = server.connect();
                WsClient home = server.connect()) {
            host.join("lockable", "Host");
            String ticket = guest.join("lockable", "Guest").get("ticket").asText();
            home.ok("watchRooms");
            host.ok("lock", "locked", true);
            JsonNode settings = guest.next("settings");
            assertTrue(settings.get("locked").asBoolean());
            home.next(m -> m.get("type").asText().equals("rooms") && m.get("changes").findValues("room").stream()
                    .anyMatch(r -> r.asText().equals("lockable")) && m.toString().contains("\"room\":\"lockable\",\"count\":2,\"locked\":true"));

            JsonNode refused = late.call("join", "room", "lockable", "nick", "Late");
            assertEquals("room_locked", refused.get("code").asText());

            guest.abort(); // a dropped connection comes back with its ticket
            host.next("left");
            try (WsClient back = server.connect()) {
                back.ok("join", "room", "lockable", "nick", "Guest", "ticket", ticket);
            }
            assertEquals("room_locked", late.call("join", "room", "lockable", "nick", "Late", "ticket", "forged").get("code").asText());

            host.ok("lock", "locked", false);
            late.join("lockable", "Late");
        }
    }

    @Test
    void aPasswordIsAskedForWrongOnesAreRefusedAndThrottledAndTheRightOneAdmits() {
        try (WsClient host = server.connect(); WsClient guest = server.connect()) {
            JsonNode ack = host.join("secret-room", "Host");
            assertFalse(ack.get("hasPassword").asBoolean());
            host.ok("setPassword", "password", "open sesame 열려라");

            assertEquals("password_required", guest.call("join", "room", "secret-room", "nick", "G").get("code").asText());
            assertEquals("wrong_password", guest.call("join", "room", "secret-room", "nick", "G", "password", "guess").get("code").asText());
            JsonNode in = guest.ok("join", "room", "secret-room", "nick", "G", "password", "open sesame 열려라");
            assertTrue(in.get("hasPassword").asBoolean());
        }
        try (WsClient host = server.connect(); WsClient guesser = server.connect()) {
            host.join("throttled", "Host");
            host.ok("setPassword", "password", "right");
            for (int i = 0; i < 5; i++) {
                assertEquals("wrong_password", guesser.call("join", "room", "throttled", "nick", "G", "password", "wrong" + i).get("code").asText());
            }
            // Throttled by address, so even the right password waits, and reconnecting does not help.
            assertEquals("too_many_attempts", guesser.call("join", "room", "throttled", "nick", "G", "password", "right").get("code").asText());
            try (WsClient again = server.connect()) {
                assertEquals("too_many_attempts", again.call("join", "room", "throttled", "nick", "G", "password", "right").get("code").asText());
            }
            host.ok("setPassword", "password", "");
            guesser.join("throttled", "G");
        }
    }

    @Test
    void thePasswordIsKeptAsAnArgon2idHashInTheDatabaseAndOutlivesTheMeeting() throws Exception {
        try (WsClient host = server.connect()) {
            host.join("kept-secret", "Host");
            host.ok("setPassword", "password", "hunter2");
        }
        try (var db = java.sql.DriverManager.getConnection(server.server().databaseUrl, "sa", "");
                var rs = db.createStatement().executeQuery("SELECT password_hash FROM rooms WHERE name = 'kept-secret'")) {
            assertTrue(rs.next());
            String stored = rs.getString(1);
            assertTrue(stored.startsWith("$argon2id$"), stored);
            assertFalse(stored.contains("hunter2"));
        }
        // The room emptied and closed; opening it again still asks for the password.
        try (WsClient again = server.connect()) {
            assertEquals("password_required", again.call("join", "room", "kept-secret", "nick", "A").get("code").asText());
            again.ok("join", "room", "kept-secret", "nick", "A", "password", "hunter2");
        }
    }

    @Test
    void onlyTheHostCanLockSetAPasswordMuteOrRemove() {
        try (WsClient host = server.connect(); WsClient guest = server.connect()) {
            host.join("rules", "Host");
            guest.join("rules", "Guest");
            assertEquals("not_host", guest.call("lock", "locked", true).get("code").asText());
            assertEquals("not_host", guest.call("setPassword", "password", "x").get("code").asText());
            assertEquals("not_host", guest.call("muteParticipant", "pid", host.pid).get("code").asText());
            assertEquals("not_host", guest.call("removeParticipant", "pid", host.pid).get("code").asText());
            assertEquals("invalid_password", host.call("setPassword", "password", "p".repeat(129)).get("code").asText());
            assertEquals("unknown_peer", host.call("muteParticipant", "pid", "0000000000000000").get("code").asText());
        }
    }

    @Test
    void theHostCanMuteSomeoneWhoIsToldAndRemoveSomeoneWhoIsSentOut() {
        try (WsClient host = server.connect(); WsClient loud = server.connect(); WsClient other = server.connect()) {
            host.join("moderated", "Host");
            String ticket = loud.join("moderated", "Loud").get("ticket").asText();
            other.join("moderated", "Other");

            host.ok("muteParticipant", "pid", loud.pid);
            assertEquals(host.pid, loud.next("mutedByHost").get("by").asText());

            host.ok("lock", "locked", true);
            host.ok("removeParticipant", "pid", loud.pid);
            assertEquals(host.pid, loud.next("removed").get("by").asText());
            JsonNode left = other.next(m -> m.get("type").asText().equals("left"));
            assertEquals(loud.pid, left.get("pid").asText());
            assertEquals("removed", left.get("reason").asText());
            assertEquals(2, left.get("count").asInt());
            assertEquals("not_in_room", loud.call("chat", "text", "still here?").get("code").asText());
            // Removed means removed: the ticket that lets dropped people back no longer works.
            assertEquals("room_locked", loud.call("join", "room", "moderated", "nick", "Loud", "ticket", ticket).get("code").asText());
        }
    }
}
