package dev.myzoom.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The HTML pages. The home page is the static {@code index.html}; every {@code /r/{room}} link
 * gets the same room page, which reads the room name from its own address.
 */
public final class Pages {
    private final String roomPage = resource("/public/room.html");

    public void register(RoutesConfig routes) {
        routes.get("/r/{room}", this::room);
    }

    private void room(Context ctx) {
        ctx.header("Cache-Control", "no-cache").html(roomPage);
    }

    /** A text file from the class path, read once at start-up. */
    public static String resource(String path) {
        try (InputStream in = Pages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
