package dev.myzoom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.support.TestServer;
import org.junit.jupiter.api.Test;

class HealthTest {
    @Test
    void liveAndReadyAnswerWhileRunning() {
        try (TestServer server = TestServer.start()) {
            var live = server.get("/health/live");
            assertEquals(200, live.statusCode());
            assertTrue(live.body().contains("\"up\""));
            var ready = server.get("/health/ready");
            assertEquals(200, ready.statusCode());
            assertTrue(ready.body().contains("\"ready\""));
        }
    }

    @Test
    void pagesAreServed() {
        try (TestServer server = TestServer.start()) {
            var home = server.get("/");
            assertEquals(200, home.statusCode());
            assertTrue(home.body().contains("id=\"room-list\""));
            var room = server.get("/r/%ED%9A%8C%EC%9D%98");
            assertEquals(200, room.statusCode());
            assertTrue(room.body().contains("id=\"chat-log\""));
            assertEquals(404, server.get("/nope").statusCode());
        }
    }
}
