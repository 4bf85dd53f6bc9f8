package dev.myzoom.web;

import dev.myzoom.room.Rooms;
import io.javalin.config.RoutesConfig;
import java.util.Map;

/** JSON about rooms, for pages and tools that don't keep a WebSocket open. */
public final class RoomApi {
    private final Rooms rooms;

    public RoomApi(Rooms rooms) {
        this.rooms = rooms;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/rooms", ctx -> ctx.json(Map.of("rooms", rooms.listed())));
    }
}
