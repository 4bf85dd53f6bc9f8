package dev.myzoom.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.cluster.Bus;
import dev.myzoom.cluster.NodeMessage;
import dev.myzoom.store.MeetingLog;
import dev.myzoom.store.RoomRecords;
import dev.myzoom.store.StoreQueue;
import dev.myzoom.room.AttemptLimit;
import dev.myzoom.web.ClientAddress;
import dev.myzoom.web.Pages;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin panel: {@code /admin} (the dashboard) and {@code /admin/login}, and the JSON API
 * under {@code /api/admin} that the panel calls. Everything but the login page and the login
 * itself needs a session; every request that changes something also needs the session's CSRF
 * token in {@code X-CSRF-Token}, and the session cookie is SameSite=Strict. Actions reach the
 * room's home node through the bus, so one panel manages the whole cluster. Room passwords are
 * listed and cleared here too, since a password outlives its room for a while (finding 4 of the
 * security review: only SQL could clear one).
 */
public final class AdminApi {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    private static final String COOKIE = "myzoom_admin";
    private static final int MAX_NOTICE = 500;
    private final String dashboardPage = Pages.resource("/admin/admin.html");
    private final String loginPage = Pages.resource("/admin/login.html");
    private final AdminAuth auth;
    private final ClusterView view;
    private final AdminActions actions;
    private final Bus bus;
    private final MeetingLog meetingLog;
    private final StoreQueue store;
    private final Supplier<Map<String, RoomRecords.Protection>> passwords;
    private final boolean secureCookie;
    private final ObjectMapper json;
    private final ClientAddress addresses;
    private final MediaServers mediaServers;
    private final RecordingList recordings;

    /** @param passwords the rooms with a password, as this node knows them */
    public AdminApi(AdminAuth auth, ClusterView view, AdminActions actions, Bus bus, MeetingLog meetingLog,
            StoreQueue store, Supplier<Map<String, RoomRecords.Protection>> passwords, boolean secureCookie,
            ObjectMapper json, ClientAddress addresses, MediaServers mediaServers, RecordingList recordings) {
        this.recordings = recordings;
        this.addresses = addresses;
        this.mediaServers = mediaServers;
        this.auth = auth;
        this.view = view;
        this.actions = actions;
        this.bus = bus;
        this.meetingLog = meetingLog;
        this.store = store;
        this.passwords = passwords;
        this.secureCookie = secureCookie;
        this.json = json;
    }

    public void register(RoutesConfig routes) {
        routes.get("/admin", ctx -> {
            if (session(ctx).isEmpty()) {
                ctx.redirect("/admin/login", HttpStatus.SEE_OTHER);
            } else {
                ctx.header("Cache-Control", "no-store").html(dashboardPage);
            }
        });
        routes.get("/admin/login", ctx -> ctx.header("Cache-Control", "no-store").html(loginPage));
        routes.post("/api/admin/login", this::login);
        routes.post("/api/admin/logout", ctx -> changing(ctx, session -> {
            auth.logout(session);
            ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secureCookie ? "; Secure" : ""));
            ctx.status(HttpStatus.NO_CONTENT);
        }));
        // Without the database a session can be neither checked against the logouts nor ended:
        // say so, rather than 401, which would send the panel to the login page.
        routes.exception(Revocations.Unavailable.class, (e, ctx) -> {
            log.warn("admin request refused: {}", e.getMessage());
            problem(ctx, HttpStatus.SERVICE_UNAVAILABLE, "the database cannot be reached to check the session; try again");
        });
        routes.get("/api/admin/state", ctx -> {
            Optional<AdminAuth.Session> session = session(ctx);
            if (session.isEmpty()) {
                unauthorized(ctx);
                return;
            }
            ctx.header("Cache-Control", "no-store").json(state(session.get()));
        });
        routes.get("/api/admin/passwords", ctx -> {
            if (session(ctx).isEmpty()) {
                unauthorized(ctx);
                return;
            }
            ctx.header("Cache-Control", "no-store").json(Map.of("rooms", passwordRows()));
        });
        routes.get("/api/admin/media-servers", ctx -> {
            if (session(ctx).isEmpty()) {
                unauthorized(ctx);
                return;
            }
            ctx.header("Cache-Control", "no-store").json(Map.of("servers", mediaServers.rows()));
        });
        // Draining: the instance gets no new rooms, and its rooms finish there (see SfuRooms).
        routes.post("/api/admin/media-servers/drain", ctx -> changing(ctx, session -> {
            String instance = field(ctx, "instance");
            boolean draining;
            try {
                draining = json.readTree(ctx.body()).path("draining").asBoolean(true);
            } catch (java.io.IOException e) {
                problem(ctx, HttpStatus.BAD_REQUEST, "the body must be JSON");
                return;
            }
            log.info("event=admin-drain instance={} draining={} node={}", instance, draining, bus.node());
            if (!mediaServers.drain(instance, draining)) {
                problem(ctx, HttpStatus.NOT_FOUND, "no media server " + instance);
                return;
            }
            ctx.json(Map.of("status", draining ? "draining" : "up"));
        }));
        routes.get("/api/admin/recordings", ctx -> {
            if (session(ctx).isEmpty()) {
                unauthorized(ctx);
                return;
            }
            ctx.header("Cache-Control", "no-store").json(Map.of("recordings", recordings.rows().join()));
        });
        routes.post("/api/admin/recordings/delete", ctx -> changing(ctx, session -> {
            String id = field(ctx, "id");
            if (!recordings.delete(id).join()) {
                problem(ctx, HttpStatus.NOT_FOUND, "no recording " + id + " to delete (or it is still recording)");
                return;
            }
            log.info("event=admin-delete-recording id={} node={}", id, bus.node());
            ctx.status(HttpStatus.NO_CONTENT);
        }));
        routes.post("/api/admin/clear-password", ctx -> changing(ctx, session -> clearPassword(ctx, field(ctx, "room"))));
        routes.post("/api/admin/kick", ctx -> changing(ctx, session -> {
            String pid = field(ctx, "pid");
            Optional<ClusterView.RoomReport> room = view.roomOf(pid);
            if (room.isEmpty()) {
                problem(ctx, HttpStatus.NOT_FOUND, "no participant " + pid + " is in a room");
                return;
            }
            act(ctx, room.get().home(), new NodeMessage.AdminAction("kick", room.get().room(), pid, null));
        }));
        routes.post("/api/admin/close", ctx -> changing(ctx, session -> {
            String room = field(ctx, "room");
            roomAction(ctx, room, new NodeMessage.AdminAction("close", room, null,
                    "The administrator closed this room."));
        }));
        routes.post("/api/admin/notice", ctx -> changing(ctx, session -> {
            String room = field(ctx, "room");
            String text = field(ctx, "text").strip();
            if (text.isEmpty() || text.codePointCount(0, text.length()) > MAX_NOTICE || text.indexOf('\u0000') >= 0) {
                problem(ctx, HttpStatus.BAD_REQUEST, "a notice is 1 to " + MAX_NOTICE + " characters");
                return;
            }
            roomAction(ctx, room, new NodeMessage.AdminAction("notice", room, null, text));
        }));
    }

    private void login(Context ctx) {
        if (!sameOrigin(ctx)) {
            problem(ctx, HttpStatus.FORBIDDEN, "log in from this server's own page");
            return;
        }
        String password;
        try {
            password = json.readTree(ctx.body()).path("password").asText("");
        } catch (Exception e) {
            problem(ctx, HttpStatus.BAD_REQUEST, "send {\"password\": \"...\"}");
            return;
        }
        String address = addresses.of(ctx.ip(), ctx.header("X-Forwarded-For"));
        AdminAuth.Login login = auth.login(AttemptLimit.addressKey(address), password);
        switch (login.outcome()) {
            case THROTTLED -> {
                long seconds = Math.max(1, (login.retryAfter().toMillis() + 999) / 1000);
                ctx.header("Retry-After", String.valueOf(seconds));
                problem(ctx, HttpStatus.TOO_MANY_REQUESTS, "too many wrong passwords; try again in " + seconds + " s");
            }
            case WRONG -> {
                log.info("event=admin-login-failed address={}", address);
                problem(ctx, HttpStatus.UNAUTHORIZED, "wrong password");
            }
            case OK -> {
                log.info("event=admin-login address={}", address);
                ctx.header("Set-Cookie", COOKIE + "=" + login.session().id() + "; Path=/; Max-Age="
                        + AdminAuth.SESSION_LENGTH.toSeconds() + "; HttpOnly; SameSite=Strict" + (secureCookie ? "; Secure" : ""));
                ctx.status(HttpStatus.NO_CONTENT);
            }
        }
    }

    /** Whether the request comes with a live admin session (for the recordings' files). */
    public boolean signedIn(Context ctx) {
        return session(ctx).isPresent();
    }

    /** Runs a state-changing request if it has a session and that session's CSRF token. */
    private void changing(Context ctx, java.util.function.Consumer<AdminAuth.Session> action) {
        Optional<AdminAuth.Session> session = session(ctx);
        if (session.isEmpty()) {
            unauthorized(ctx);
        } else if (!sameOrigin(ctx) || !AdminAuth.sameSecret(ctx.header("X-CSRF-Token"), session.get().csrf())) {
            problem(ctx, HttpStatus.FORBIDDEN, "missing or wrong CSRF token");
        } else {
            try {
                action.accept(session.get());
            } catch (IllegalArgumentException e) {
                problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            }
        }
    }

    private void roomAction(Context ctx, String room, NodeMessage.AdminAction action) {
        Optional<String> home = view.homeOf(room);
        if (home.isEmpty()) {
            problem(ctx, HttpStatus.NOT_FOUND, "no room " + room + " is open");
            return;
        }
        act(ctx, home.get(), action);
    }

    /**
     * The rooms with a password, by name, and whether each is open (anywhere in the cluster) or
     * since when it has been closed. Never the hash.
     */
    private List<Map<String, Object>> passwordRows() {
        java.util.Set<String> open = new java.util.HashSet<>();
        view.nodes().forEach(n -> n.rooms().forEach(r -> open.add(r.room())));
        return new java.util.TreeMap<>(passwords.get()).entrySet().stream().map(e -> {
            boolean isOpen = e.getValue().closedAt() == null || open.contains(e.getKey());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("room", e.getKey());
            row.put("open", isOpen);
            row.put("closedSince", isOpen ? null : e.getValue().closedAt());
            return row;
        }).toList();
    }

    /**
     * An open room's password is cleared by its home, which tells those inside; a closed room's
     * here, since every node shares the database, and the answer then waits for the commit.
     */
    private void clearPassword(Context ctx, String room) {
        if (!passwords.get().containsKey(room)) {
            problem(ctx, HttpStatus.NOT_FOUND, "room " + room + " has no password");
            return;
        }
        Optional<String> home = view.homeOf(room);
        if (home.isPresent()) {
            act(ctx, home.get(), new NodeMessage.AdminAction("clear-password", room, null, null));
            return;
        }
        log.info("event=admin-clear-password room={} pid=null node={}", room, bus.node());
        try {
            actions.clearPasswordOfClosedRoom(room).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem(ctx, HttpStatus.SERVICE_UNAVAILABLE, "interrupted; the password may not be cleared");
            return;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("could not clear the password of room {}: {}", room, e.toString());
            problem(ctx, HttpStatus.SERVICE_UNAVAILABLE, "the database cannot be reached; the password is not cleared");
            return;
        }
        ctx.json(Map.of("status", "cleared"));
    }

    /** Carries the action out here, or sends it to the room's home; it is done within a moment. */
    private void act(Context ctx, String home, NodeMessage.AdminAction action) {
        log.info("event=admin-{} room={} pid={} node={}", action.action(), action.room(), action.pid(), home);
        try {
            actions.request(home, action);
        } catch (Bus.Unavailable e) {
            problem(ctx, HttpStatus.SERVICE_UNAVAILABLE, "the node holding the room cannot be reached");
            return;
        }
        ctx.status(HttpStatus.ACCEPTED).json(Map.of("status", "accepted"));
    }

    private Map<String, Object> state(AdminAuth.Session session) {
        List<ClusterView.NodeReport> nodes = view.nodes();
        List<Map<String, Object>> nodeRows = nodes.stream().map(n -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("node", n.node());
            row.put("connections", n.connections());
            row.put("rooms", n.rooms().size());
            row.put("participants", n.rooms().stream().mapToInt(r -> r.participants().size()).sum());
            return row;
        }).toList();
        List<ClusterView.RoomReport> roomRows = nodes.stream().flatMap(n -> n.rooms().stream())
                .sorted(java.util.Comparator.comparing(ClusterView.RoomReport::room)).toList();
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("nodes", nodes.size());
        totals.put("connections", nodes.stream().mapToInt(ClusterView.NodeReport::connections).sum());
        totals.put("rooms", roomRows.size());
        totals.put("participants", roomRows.stream().mapToInt(r -> r.participants().size()).sum());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("csrf", session.csrf());
        state.put("node", bus.node());
        state.put("totals", totals);
        state.put("nodes", nodeRows);
        state.put("rooms", roomRows);
        state.put("samples", view.samples());
        try {
            state.put("events", store.read(() -> meetingLog.recent(30)).get(3, TimeUnit.SECONDS));
        } catch (Exception e) {
            state.put("events", List.of());
            state.put("eventsUnavailable", true);
        }
        return state;
    }

    private Optional<AdminAuth.Session> session(Context ctx) {
        return auth.session(ctx.cookie(COOKIE));
    }

    private String field(Context ctx, String name) {
        try {
            JsonNode value = json.readTree(ctx.body()).get(name);
            if (value == null || !value.isTextual()) {
                throw new IllegalArgumentException("field \"" + name + "\" is required");
            }
            return value.asText();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body must be JSON");
        }
    }

    /** A browser's request from another site carries that site's Origin; ours carries ours. */
    private static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            String hostPort = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
            return hostPort.equalsIgnoreCase(ctx.header("Host"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void unauthorized(Context ctx) {
        problem(ctx, HttpStatus.UNAUTHORIZED, "log in at /admin/login");
    }

    private static void problem(Context ctx, HttpStatus status, String message) {
        ctx.status(status).json(Map.of("error", message));
    }
}
