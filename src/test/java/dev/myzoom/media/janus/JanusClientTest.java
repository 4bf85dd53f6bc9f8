package dev.myzoom.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.support.Await;
import dev.myzoom.support.Janus;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Janus client against a real Janus started for the test; no browser, no media. */
class JanusClientTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JanusClient connect(Janus janus, Optional<String> secret, Duration keepalive) {
        return JanusClient.connect(HTTP, janus.url(), secret, JSON,
                new JanusClient.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5), keepalive)).join();
    }

    private static JanusClient connect(Janus janus) {
        return connect(janus, Optional.of(janus.apiSecret), Duration.ofSeconds(20));
    }

    /** The code a failed future failed with. */
    private static int code(CompletableFuture<?> future) {
        CompletionException e = assertThrows(CompletionException.class, future::join);
        return JanusException.of(e).code();
    }

    private static String room() {
        return "r-" + UUID.randomUUID();
    }

    @Test
    void aWrongOrMissingApiSecretIsRefused() {
        try (Janus janus = Janus.start()) {
            try (JanusClient none = connect(janus, Optional.empty(), Duration.ZERO)) {
                JanusException e = JanusException.of(assertThrows(CompletionException.class,
                        () -> none.createSession(JanusListener.IGNORE).join()));
                assertEquals(403, e.code());
                assertTrue(e.reason().contains("secret"), e.reason());
            }
            try (JanusClient wrong = connect(janus, Optional.of("not " + janus.apiSecret), Duration.ZERO)) {
                assertEquals(403, code(wrong.createSession(JanusListener.IGNORE)));
            }
            try (JanusClient right = connect(janus)) {
                JanusSession session = right.createSession(JanusListener.IGNORE).join();
                assertTrue(session.id() != 0);
                session.destroy().join();
            }
        }
    }

    @Test
    void aRoomIsCreatedExistsAndIsDestroyedWithItsSecret() {
        try (Janus janus = Janus.start(); JanusClient client = connect(janus)) {
            JanusSession session = client.createSession(JanusListener.IGNORE).join();
            JanusHandle handle = session.attachVideoRoom(JanusListener.IGNORE).join();
            VideoRoom rooms = new VideoRoom(handle, Optional.of(janus.adminKey));
            String room = room();
            String secret = UUID.randomUUID().toString();

            assertFalse(rooms.exists(room).join());
            List<Long> micros = new ArrayList<>();
            long t0 = System.nanoTime();
            rooms.create(room, secret, null).join();
            micros.add((System.nanoTime() - t0) / 1000);
            t0 = System.nanoTime();
            assertTrue(rooms.exists(room).join());
            micros.add((System.nanoTime() - t0) / 1000);

            assertEquals(427, code(rooms.create(room, secret, null)), "a second create of the same room");
            assertEquals(429, code(new VideoRoom(handle, Optional.empty()).create(room(), secret, null)),
                    "creating needs the admin_key");
            assertEquals(433, code(new VideoRoom(handle, Optional.of("wrong key")).create(room(), secret, null)),
                    "creating needs the right admin_key");
            assertEquals(433, code(rooms.destroy(room, "wrong " + secret)), "destroying needs the room's secret");
            assertTrue(rooms.exists(room).join());

            t0 = System.nanoTime();
            rooms.destroy(room, secret).join();
            micros.add((System.nanoTime() - t0) / 1000);
            assertFalse(rooms.exists(room).join());
            assertEquals(426, code(rooms.destroy(room, secret)), "no such room any more");

            // Request latency over loopback: 200 exists requests, one after the other.
            long[] each = new long[200];
            for (int i = 0; i < each.length; i++) {
                long t = System.nanoTime();
                rooms.exists(room).join();
                each[i] = (System.nanoTime() - t) / 1000;
            }
            java.util.Arrays.sort(each);
            System.out.printf("create/exists/destroy: %s µs; exists p50 %d µs, p99 %d µs, max %d µs%n",
                    micros, each[100], each[198], each[199]);
        }
    }

    @Test
    void keepalivesKeepASessionPastJanussSessionTimeout() throws InterruptedException {
        // 2 s, because Janus 1.1.2 lets a silent session live one watchdog round (2 s) longer than
        // session_timeout, plus up to 2 s until that round: measured 5.5-6.0 s for 2, 7.9-8.0 s
        // for 4, 9.9-10.0 s for 6. With 2 the silent session is gone well inside the 8 s the
        // kept one must live; keepalives every 0.7 s are a third of the timeout, as in production.
        try (Janus janus = Janus.start(2);
                JanusClient kept = connect(janus, Optional.of(janus.apiSecret), Duration.ofMillis(700));
                JanusClient forgotten = connect(janus, Optional.of(janus.apiSecret), Duration.ZERO)) {
            LinkedBlockingQueue<JanusEvent> keptEvents = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<JanusEvent> forgottenEvents = new LinkedBlockingQueue<>();
            JanusSession alive = kept.createSession(keptEvents::add).join();
            JanusSession dead = forgotten.createSession(forgottenEvents::add).join();
            long start = System.nanoTime();

            JanusEvent timeout = forgottenEvents.poll(8, TimeUnit.SECONDS);
            assertTrue(timeout != null, "no timeout event within 8 s for the session without keepalives: " + janus.log());
            assertEquals("timeout", timeout.type());
            assertEquals(dead.id(), timeout.session());
            long timedOutAfter = (System.nanoTime() - start) / 1_000_000;
            assertEquals(458, code(dead.keepalive()), "Janus forgot the session");
            assertEquals(0, forgotten.sessionCount());

            long left = 8000 - (System.nanoTime() - start) / 1_000_000;
            if (left > 0) {
                Thread.sleep(left);
            }
            assertEquals(List.of(), List.copyOf(keptEvents), "the kept session got no timeout");
            alive.keepalive().join();
            JanusHandle handle = alive.attachVideoRoom(JanusListener.IGNORE).join();
            assertTrue(handle.id() != 0);
            System.out.printf("session_timeout 2 s: the session without keepalives timed out after %d ms; "
                    + "the one with keepalives every 0.7 s is alive after %d ms%n",
                    timedOutAfter, (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Test
    void aClosedSocketTakesItsParticipantsOutOfTheRoom() {
        try (Janus janus = Janus.start(); JanusClient control = connect(janus)) {
            VideoRoom rooms = new VideoRoom(control.createSession(JanusListener.IGNORE).join()
                    .attachVideoRoom(JanusListener.IGNORE).join(), Optional.of(janus.adminKey));
            String room = room();
            rooms.create(room, "secret", null).join();

            JanusClient edge = connect(janus);
            JanusSession session = edge.createSession(JanusListener.IGNORE).join();
            JanusHandle publisher = session.attachVideoRoom(JanusListener.IGNORE).join();
            PluginReply joined = publisher.request(rooms.body("join").put("ptype", "publisher").put("room", room)
                    .put("id", "alice").put("display", "Alice")).join();
            assertEquals("joined", joined.verb("videoroom"));
            assertEquals(List.of("alice"), ids(rooms.participants(room).join()));

            long t0 = System.nanoTime();
            edge.abort();
            Await.until(() -> ids(rooms.participants(room).join()).isEmpty(), Duration.ofSeconds(5), Duration.ofMillis(20),
                    () -> "alice is still in the room after her socket closed");
            System.out.printf("a dropped socket's participant left the room in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertEquals(JanusException.CLOSED, code(publisher.request(rooms.body("leave"))), "requests after the close fail at once");
        }
    }

    @Test
    void eventsReachTheHandleTheyConcern() throws InterruptedException {
        try (Janus janus = Janus.start(); JanusClient client = connect(janus)) {
            JanusSession session = client.createSession(JanusListener.IGNORE).join();
            VideoRoom rooms = new VideoRoom(session.attachVideoRoom(JanusListener.IGNORE).join(), Optional.of(janus.adminKey));
            String room = room();
            rooms.create(room, "secret", JSON.createObjectNode().put("notify_joining", true)).join();

            LinkedBlockingQueue<JanusEvent> aliceEvents = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<JanusEvent> bobEvents = new LinkedBlockingQueue<>();
            JanusHandle alice = session.attachVideoRoom(aliceEvents::add).join();
            JanusHandle bob = client.createSession(JanusListener.IGNORE).join().attachVideoRoom(bobEvents::add).join();
            alice.request(rooms.body("join").put("ptype", "publisher").put("room", room).put("id", "alice")).join();
            bob.request(rooms.body("join").put("ptype", "publisher").put("room", room).put("id", "bob")).join();

            JanusEvent joining = aliceEvents.poll(5, TimeUnit.SECONDS);
            assertTrue(joining != null, "alice heard nothing of bob's join");
            assertEquals("event", joining.type());
            assertEquals(alice.id(), joining.handle());
            assertEquals("bob", joining.data().path("joining").path("id").asText(), joining.message().toString());
            assertEquals(null, bobEvents.poll(300, TimeUnit.MILLISECONDS), "bob is not told of his own join");

            rooms.destroy(room, "secret").join();
            JanusEvent destroyed = bobEvents.poll(5, TimeUnit.SECONDS);
            assertTrue(destroyed != null, "bob was not told the room was destroyed");
            assertEquals("destroyed", destroyed.data().path("videoroom").asText(), destroyed.message().toString());
        }
    }

    @Test
    void closingFailsWaitingRequestsAndAJanusThatDiesClosesTheClient() {
        try (Janus janus = Janus.start()) {
            JanusClient client = connect(janus);
            JanusSession session = client.createSession(JanusListener.IGNORE).join();
            List<CompletableFuture<Void>> waiting = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                waiting.add(session.keepalive());
            }
            client.close();
            int closed = 0;
            for (CompletableFuture<Void> f : waiting) {
                try {
                    f.join();
                } catch (CompletionException e) {
                    assertEquals(JanusException.CLOSED, JanusException.of(e).code(), e.toString());
                    closed++;
                }
            }
            assertTrue(closed > 0, "every one of 50 keepalives was answered before the close took effect");
            assertEquals(JanusException.CLOSED, code(session.keepalive()));
            assertFalse(client.isOpen());

            JanusClient other = connect(janus);
            JanusSession live = other.createSession(JanusListener.IGNORE).join();
            long t0 = System.nanoTime();
            janus.kill();
            other.closed().orTimeout(5, TimeUnit.SECONDS).join();
            System.out.printf("the client saw Janus's death in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertEquals(JanusException.CLOSED, code(live.keepalive()));
            assertEquals(JanusException.CLOSED, code(JanusClient.connect(HTTP, janus.url(), Optional.of(janus.apiSecret), JSON,
                    JanusClient.Settings.defaults())), "nothing listens there any more");
        }
    }

    private static List<String> ids(JsonNode participants) {
        List<String> ids = new ArrayList<>();
        participants.forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }
}
