package dev.myzoom;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.media.IceServers;
import dev.myzoom.media.TurnCredentials;
import dev.myzoom.room.Names;
import dev.myzoom.room.RoomList;
import dev.myzoom.room.Rooms;
import dev.myzoom.signal.MessageCodec;
import dev.myzoom.signal.OriginPolicy;
import dev.myzoom.signal.ServerMessage;
import dev.myzoom.signal.SignalEndpoint;
import dev.myzoom.web.Health;
import dev.myzoom.web.Pages;
import dev.myzoom.web.RoomApi;
import io.javalin.Javalin;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.staticfiles.Location;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the server from its parts. The only place that knows them all. */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);
    /** WebSocket close code 1012: the server is restarting, so come back soon. */
    public static final int SERVICE_RESTART = 1012;

    private final Javalin javalin;
    private final SignalEndpoint signal;
    private final ScheduledExecutorService scheduler;
    private volatile boolean stopping;

    private App(Config config) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "room-list");
            t.setDaemon(true);
            return t;
        });
        MessageCodec codec = new MessageCodec(new ObjectMapper());
        RoomList roomList = new RoomList(scheduler, config.roomListWindow(), codec);
        Rooms rooms = new Rooms(codec, roomList, config.maxMeshParticipants());
        // Clients ping three times per idle timeout, so one lost ping never costs a connection.
        Duration pingInterval = config.idleTimeout().dividedBy(3);
        signal = new SignalEndpoint(codec, rooms, roomList,
                new Names(config.maxRoomNameLength(), config.maxNicknameLength()),
                new IceServers(config.stunUrls(),
                        config.turnSecret().map(secret -> new TurnCredentials(config.turnUrls(), secret, config.turnTtl(),
                                Clock.systemUTC())),
                        config.forceRelay()),
                new SignalEndpoint.Settings(
                        new ServerMessage.Limits(config.maxFrameBytes(), config.maxChatLength(),
                                config.maxNicknameLength(), config.maxRoomNameLength(), config.maxMeshParticipants(),
                                config.maxVideoHeight(), pingInterval.toMillis()),
                        config.rateLimitPerSecond(), config.rateLimitBurst(), config.idleTimeout()));
        long sweep = Math.max(1000, pingInterval.toMillis() / 2);
        scheduler.scheduleWithFixedDelay(signal::dropSilentConnections, sweep, sweep, TimeUnit.MILLISECONDS);
        OriginPolicy origins = new OriginPolicy(config.publicUrl(), config.allowedOrigins());

        javalin = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.jetty.modifyWebSocketServletFactory(ws -> {
                ws.setMaxTextMessageSize(config.maxFrameBytes());
                ws.setMaxBinaryMessageSize(config.maxFrameBytes());
                // The heartbeat sweep drops silent clients; Jetty's own timeout is only a backstop.
                ws.setIdleTimeout(config.idleTimeout().multipliedBy(2));
                ws.setMaxOutgoingFrames(1024);
            });
            c.staticFiles.add("/public", Location.CLASSPATH);
            new Pages().register(c.routes);
            new Health(() -> !stopping).register(c.routes);
            new RoomApi(rooms).register(c.routes);
            c.routes.wsBeforeUpgrade("/ws", ctx -> {
                if (!origins.allows(ctx.header("Origin"), ctx.header("Host"))) {
                    throw new ForbiddenResponse("this page's origin may not open the WebSocket");
                }
            });
            c.routes.ws("/ws", signal::configure);
        });
    }

    public static App start(Config config) {
        App app = new App(config);
        app.javalin.start();
        log.info("My Zoom listening on http://{}:{}", "0.0.0.0".equals(config.host()) ? "localhost" : config.host(),
                app.port());
        return app;
    }

    public int port() {
        return javalin.port();
    }

    public int connectionCount() {
        return signal.connectionCount();
    }

    /** Closes every WebSocket with 1012 so that clients reconnect at once, then stops the server. */
    @Override
    public void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        signal.closeAll(SERVICE_RESTART, "server restart");
        javalin.stop();
        scheduler.shutdownNow();
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(Config.help());
            return;
        }
        Config config;
        try {
            config = Config.fromEnvironment();
        } catch (Config.Invalid e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        App app = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down: closing {} connections with 1012", app.connectionCount());
            app.close();
        }, "shutdown"));
    }
}
