package dev.myzoom.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.media.sfu.LocalPlacements;
import dev.myzoom.media.sfu.RoomKeys;
import dev.myzoom.media.sfu.SfuRooms;
import dev.myzoom.support.Await;
import dev.myzoom.support.Janus;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where rooms go among two real Janus instances: by load in streams, for the room's life, never
 * to a draining or full one, and onto the other when theirs dies. No browser: the VideoRoom each
 * room gets is asked of Janus itself.
 */
class PlacementTest {
    static final RoomKeys KEYS = new RoomKeys("placement-test".getBytes(StandardCharsets.UTF_8));

    static JanusLink link(Janus janus) throws InterruptedException {
        JanusLink link = new JanusLink(janus.url(), Optional.of(janus.apiSecret), Optional.of(janus.adminKey),
                HttpClient.newHttpClient(), new ObjectMapper(), JanusClient.Settings.defaults()).start();
        assertTrue(link.awaitUp(Duration.ofSeconds(10)), "Janus at " + janus.url() + " answers");
        return link;
    }

    static String placed(SfuRooms rooms, String room) throws Exception {
        return rooms.place(room).get(10, TimeUnit.SECONDS).client().uri().toString();
    }

    static boolean existsOn(JanusLink link, String room) throws Exception {
        return link.rooms().orElseThrow().exists(KEYS.roomId(room)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void roomsGoWhereTheStreamsAreFewestStayThereSkipDrainingAndFullOnesAndMoveWhenTheirJanusDies() throws Exception {
        try (Janus a = Janus.start(); Janus b = Janus.start()) {
            JanusLink linkA = link(a);
            JanusLink linkB = link(b);
            String nameA = SfuRooms.name(linkA);
            String nameB = SfuRooms.name(linkB);
            try (JanusServers servers = new JanusServers(List.of(linkA, linkB), Optional.empty())) {
                LocalPlacements placements = new LocalPlacements();
                SfuRooms rooms = new SfuRooms(() -> Optional.of(servers), KEYS, 10, placements, 100);

                // A carries 40 streams, B none: new rooms go to B until it carries more.
                placements.report(Map.of(nameA, 40));
                assertEquals(nameB, placed(rooms, "one"));
                assertEquals(nameB, placed(rooms, "two"), "streams count, not rooms");
                assertTrue(existsOn(linkB, "one") && !existsOn(linkA, "one"), "the VideoRoom is on B");
                placements.report(Map.of(nameA, 40, nameB, 60));
                assertEquals(nameA, placed(rooms, "three"));
                // A room stays where it is for its life, whatever the load does.
                placements.report(Map.of(nameA, 90, nameB, 10));
                assertEquals(nameB, placed(rooms, "one"));
                assertEquals(nameA, placed(rooms, "three"));

                // Full (at the cap of 100) or draining instances get no new rooms.
                placements.report(Map.of(nameA, 100, nameB, 100));
                ExecutionException full = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> rooms.place("four").get(10, TimeUnit.SECONDS));
                assertEquals(JanusException.CLOSED, JanusException.of(full.getCause()).code());
                placements.report(Map.of(nameA, 50, nameB, 10));
                assertTrue(rooms.drain(nameB, true));
                assertEquals(nameA, placed(rooms, "four"), "B drains: the new room goes to A though B has fewer streams");
                assertEquals(nameB, placed(rooms, "two"), "B's rooms finish there");
                Map<String, SfuRooms.Instance> seen = new java.util.HashMap<>();
                rooms.instances().get(5, TimeUnit.SECONDS).forEach(i -> seen.put(i.name(), i));
                assertEquals(new SfuRooms.Instance(nameB, "draining", 2, 10), seen.get(nameB));
                assertEquals(new SfuRooms.Instance(nameA, "up", 2, 50), seen.get(nameA));
                rooms.destroy("one").get(10, TimeUnit.SECONDS);
                rooms.destroy("two").get(10, TimeUnit.SECONDS);
                rooms.instances().get(5, TimeUnit.SECONDS).forEach(i -> seen.put(i.name(), i));
                assertEquals(0, seen.get(nameB).rooms(), "drained: empty, ready for its upgrade");
                assertTrue(!existsOn(linkB, "one"), "the meeting over, its VideoRoom is gone");
                rooms.drain(nameB, false);

                // A dies: its rooms are placed again on B, where their VideoRooms are made anew.
                a.kill();
                Await.until(() -> !linkA.up(), Duration.ofSeconds(20), Duration.ofMillis(200), () -> "A to be seen down");
                assertEquals(nameB, placed(rooms, "three"));
                assertEquals(nameB, placed(rooms, "four"));
                assertTrue(existsOn(linkB, "three"));
                rooms.instances().get(5, TimeUnit.SECONDS).forEach(i -> seen.put(i.name(), i));
                assertEquals("down", seen.get(nameA).state());
                assertEquals(2, seen.get(nameB).rooms());
            }
        }
    }
}
