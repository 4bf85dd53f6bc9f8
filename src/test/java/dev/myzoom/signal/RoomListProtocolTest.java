package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomListProtocolTest {

    private static Map<String, Integer> counts(JsonNode list) {
        Map<String, Integer> counts = new HashMap<>();
        list.forEach(r -> counts.put(r.get("room").asText(), r.get("count").asInt()));
        return counts;
    }

    @Test
    void watcherGetsASnapshotThenDeltasAsPeopleComeAndGo() {
        // A cut connection waits this long for its page to resume before it leaves (ResumeTest).
        try (TestServer server = TestServer.start("RESUME_SECONDS", "1");
                WsClient home = server.connect();
                WsClient a = server.connect();
                WsClient b = server.connect()) {
            a.join("lobby", "A");
            JsonNode snapshot = home.ok("watchRooms");
            assertEquals(Map.of("lobby", 1), counts(snapshot.get("rooms")));

            b.join("lobby", "B");
            assertEquals(Map.of("lobby", 2), counts(home.next("rooms").get("changes")));

            a.abort();
            b.ok("leave");
            JsonNode closed = home.next(m -> m.get("type").asText().equals("rooms")
                    && counts(m.get("changes")).getOrDefault("lobby", -1) == 0);
            assertEquals(0, counts(closed.get("changes")).get("lobby"));

            JsonNode api = new com.fasterxml.jackson.databind.ObjectMapper().readTree(server.get("/api/rooms").body());
            assertEquals(0, api.get("rooms").size());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void onlyWatchersGetRoomListUpdates() {
        try (TestServer server = TestServer.start();
                WsClient inRoom = server.connect();
                WsClient other = server.connect();
                WsClient home = server.connect()) {
            home.ok("watchRooms");
            inRoom.join("quiet", "A");
            home.next("rooms");
            other.join("elsewhere", "B");
            home.next("rooms");
            List<JsonNode> got = inRoom.drain(Duration.ofMillis(400));
            assertTrue(got.stream().noneMatch(m -> m.get("type").asText().equals("rooms")), got.toString());

            home.ok("unwatchRooms");
            other.join("third", "B");
            assertTrue(home.drain(Duration.ofMillis(400)).isEmpty());
        }
    }

    @Test
    void aBurstOfJoinsReachesAWatcherAsAFewCoalescedDeltas() {
        int people = 300;
        try (TestServer server = TestServer.start("ROOM_LIST_WINDOW_MS", "200"); WsClient home = server.connect()) {
            home.ok("watchRooms");
            List<WsClient> clients = new ArrayList<>();
            long start = System.nanoTime();
            try {
                for (int i = 0; i < people; i++) {
                    WsClient c = server.connect();
                    clients.add(c);
                    c.send(WsClient.request("join", "room", "burst-" + (i % 60), "nick", "p" + i));
                }
                Map<String, Integer> seen = new HashMap<>();
                int frames = 0;
                while (seen.values().stream().mapToInt(Integer::intValue).sum() < people) {
                    JsonNode update = home.next("rooms");
                    frames++;
                    seen.putAll(counts(update.get("changes")));
                }
                assertEquals(60, seen.size());
                seen.values().forEach(count -> assertEquals(5, count));
                // At most one update per 200 ms window, however many joins fall into it.
                long windows = java.time.Duration.ofNanos(System.nanoTime() - start).toMillis() / 200 + 2;
                assertTrue(frames <= windows && frames < people / 2,
                        people + " joins over " + windows + " windows gave " + frames + " updates");
            } finally {
                clients.forEach(WsClient::close);
            }
        }
    }

    @Test
    void restApiListsOpenRoomsWithCounts() throws Exception {
        try (TestServer server = TestServer.start(); WsClient a = server.connect(); WsClient b = server.connect();
                WsClient c = server.connect()) {
            a.join("big", "A");
            b.join("big", "B");
            c.join("small", "C");
            var response = server.get("/api/rooms");
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            JsonNode rooms = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("rooms");
            assertEquals("big", rooms.get(0).get("room").asText());
            assertEquals(Map.of("big", 2, "small", 1), counts(rooms));
        }
    }
}
