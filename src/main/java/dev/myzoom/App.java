package dev.myzoom;

import dev.myzoom.concurrency.DaemonThreads;
import dev.myzoom.protocol.CloseCodes;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myzoom.admin.AdminActions;
import dev.myzoom.admin.AdminApi;
import dev.myzoom.admin.MediaServers;
import dev.myzoom.admin.AdminAuth;
import dev.myzoom.admin.ClusterView;
import dev.myzoom.admin.LoginThrottle;
import dev.myzoom.admin.StoredRevocations;
import dev.myzoom.admin.Metrics;
import dev.myzoom.cluster.Bus;
import dev.myzoom.cluster.LocalBus;
import dev.myzoom.cluster.RedisBus;
import dev.myzoom.media.CallPlan;
import dev.myzoom.media.IceServers;
import dev.myzoom.media.janus.JanusClient;
import dev.myzoom.media.janus.JanusInstall;
import dev.myzoom.media.janus.JanusLink;
import dev.myzoom.media.janus.JanusServers;
import dev.myzoom.media.janus.LocalJanus;
import dev.myzoom.media.mesh.MeshPlan;
import dev.myzoom.media.sfu.Layers;
import dev.myzoom.media.sfu.RoomKeys;
import dev.myzoom.media.sfu.SfuPlan;
import dev.myzoom.media.sfu.SfuRooms;
import dev.myzoom.media.TurnCredentials;
import dev.myzoom.room.AttemptLimit;
import dev.myzoom.room.Names;
import dev.myzoom.room.PasswordChecks;
import dev.myzoom.room.Passwords;
import dev.myzoom.room.RoomList;
import dev.myzoom.room.Rooms;
import dev.myzoom.store.AdminSessionRecords;
import dev.myzoom.store.ChatHistory;
import dev.myzoom.store.Database;
import dev.myzoom.store.MeetingLog;
import dev.myzoom.store.Retention;
import dev.myzoom.store.RecordingRecords;
import dev.myzoom.recording.RecordingFiles;
import dev.myzoom.recording.RecordingRoutes;
import dev.myzoom.recording.Recordings;
import dev.myzoom.recording.SignedLinks;
import dev.myzoom.recording.Tools;
import dev.myzoom.admin.RecordingList;
import dev.myzoom.store.RoomRecords;
import dev.myzoom.store.SqlRoomStore;
import dev.myzoom.store.StoreQueue;
import dev.myzoom.signal.FanOut;
import dev.myzoom.signal.MediaRequests;
import dev.myzoom.protocol.MessageCodec;
import dev.myzoom.signal.OriginPolicy;
import dev.myzoom.protocol.ServerMessage;
import dev.myzoom.signal.SignalEndpoint;
import dev.myzoom.signal.Traffic;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import dev.myzoom.web.ClientAddress;
import dev.myzoom.web.Connectors;
import dev.myzoom.web.ContextTuning;
import dev.myzoom.web.ServerCertificate;
import dev.myzoom.web.Health;
import dev.myzoom.web.HostCheck;
import dev.myzoom.signal.ConnectionLimits;
import io.javalin.http.HttpResponseException;
import dev.myzoom.web.Pages;
import dev.myzoom.web.RoomApi;
import dev.myzoom.web.SecurityHeaders;
import dev.myzoom.web.Tls;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.net.http.HttpClient;
import org.eclipse.jetty.server.HttpConfiguration;
import io.javalin.Javalin;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.staticfiles.Location;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the server from its parts. The only place that knows them all. */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);

    private final Javalin javalin;
    private final SignalEndpoint signal;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("node-report"));
    private final Database database;
    private final StoreQueue store;
    private final FanOut fanOut;
    private final Bus bus;
    private final Metrics metrics;
    private final PasswordChecks passwordChecks;
    private final Config.Sfu sfu;
    private final Recordings recordings;
    /** The SFU's Janus instances, started with the server; empty when calls use the mesh only. */
    private volatile Optional<JanusServers> janus = Optional.empty();
    private volatile boolean stopping;

    private App(Config config) {
        scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("room-list"));
        database = new Database(config.store().databaseUrl(), config.store().databaseUser(), config.store().databasePassword());
        metrics = new Metrics(config.admin().metricsToken());
        MeterRegistry registry = metrics.registry();
        fanOut = new FanOut();
        store = new StoreQueue(1000, Duration.ofSeconds(5), registry, fanOut);
        ChatHistory history = new ChatHistory(database.jdbi());
        MeetingLog meetingLog = new MeetingLog(database.jdbi());
        MessageCodec codec = new MessageCodec(new ObjectMapper());
        bus = config.cluster().redisUrl().<Bus>map(url -> new RedisBus(url, config.cluster().clusterSecret().orElseThrow(), config.cluster().nodeTimeout(), new ObjectMapper(), registry))
                .orElseGet(LocalBus::new);
        RoomList roomList = new RoomList(scheduler, config.limits().roomListWindow(), codec);
        RoomRecords roomRecords = new RoomRecords(database.jdbi(), System.currentTimeMillis());
        SqlRoomStore roomStore = new SqlRoomStore(roomRecords, meetingLog,
                store, Clock.systemUTC(), config.store().roomPasswordIdle(), config.cluster().redisUrl().isPresent());
        long expiry = Math.max(1000, Math.min(60_000, config.store().roomPasswordIdle().toMillis() / 2));
        scheduler.scheduleWithFixedDelay(roomStore::expirePasswords, expiry, expiry, TimeUnit.MILLISECONDS);
        // Argon2id is CPU and memory bound: half the cores at most, and a short queue.
        passwordChecks = new PasswordChecks(new Passwords(), Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 16,
                Clock.systemUTC());
        scheduler.scheduleWithFixedDelay(passwordChecks::prune, 1, 1, TimeUnit.MINUTES);
        sfu = config.sfu();
        boolean usesJanus = !sfu.janusUrls().isEmpty() || runsOwnJanus(config);
        CallPlan mesh = new MeshPlan(config.limits().maxMeshParticipants(), new IceServers(config.ice().stunUrls(),
                config.ice().turnSecret().map(secret -> new TurnCredentials(config.ice().turnUrls(), secret, config.ice().turnTtl(),
                        Clock.systemUTC())),
                config.ice().forceRelay()));
        // With a Janus, rooms move to the SFU from SFU_FROM people while it answers; Janus
        // starts with the server (after the port is bound), so the plan asks for it each time.
        Optional<SfuRooms> sfuRooms = usesJanus
                ? Optional.of(new SfuRooms(() -> janus, new RoomKeys(roomKey(sfu)), 2 * sfu.maxParticipants(),
                        bus.placements(), sfu.janusMaxStreams()))
                : Optional.empty();
        CallPlan calls = sfuRooms.<CallPlan>map(r -> new SfuPlan(mesh, r, sfu.sfuFrom(), sfu.maxParticipants())).orElse(mesh);
        // Recordings are made in the media server and composed here; their links are signed with
        // a key every node sharing the database derives alike.
        RecordingFiles recordingFiles = new RecordingFiles(config.recording().dir());
        RecordingRecords recordingRecords = new RecordingRecords(database.jdbi());
        SignedLinks recordingLinks = new SignedLinks(linkKey(config, database));
        recordings = new Recordings(recordingFiles, recordingRecords, store, sfuRooms, Tools.find(), recordingLinks,
                new Recordings.Settings(config.recording().minFreeBytes(), config.recording().linkLifetime()), Clock.systemUTC(),
                scheduler);
        Rooms rooms = new Rooms(codec, roomList, calls, passwordChecks, roomStore, bus, scheduler, recordings);
        // 10,000 rows take well under a second on either database, far inside the statement timeout.
        Retention retention = new Retention(store, Clock.systemUTC(), 10_000, List.of(
                new Retention.Rule("messages", Duration.ofDays(config.store().chatRetentionDays()), history::deleteOlderThan),
                new Retention.Rule("meeting_log", Duration.ofDays(config.store().meetingLogRetentionDays()), meetingLog::deleteOlderThan),
                new Retention.Rule("recordings", Duration.ofDays(config.recording().retentionDays()), recordings::deleteOlderThan),
                new Retention.Rule("rooms", Duration.ofDays(config.store().roomRecordRetentionDays()), roomRecords::deleteInactive)));
        scheduler.scheduleWithFixedDelay(retention::run, 1, 60, TimeUnit.MINUTES);
        // Clients ping three times per idle timeout, so one lost ping never costs a connection.
        Duration pingInterval = config.limits().idleTimeout().dividedBy(3);
        ClientAddress addresses = new ClientAddress(config.http().trustedProxies());
        ConnectionLimits connectionLimits = new ConnectionLimits(config.limits().maxConnections(), config.limits().maxConnectionsPerAddress(),
                config.limits().upgradeRate());
        scheduler.scheduleWithFixedDelay(connectionLimits::prune, 1, 1, TimeUnit.MINUTES);
        signal = new SignalEndpoint(codec, rooms, roomList,
                new Names(config.limits().maxRoomNameLength(), config.limits().maxNicknameLength(), config.limits().maxChatLength()), calls,
                history, store,
                new SignalEndpoint.Settings(
                        new ServerMessage.Limits(config.limits().maxFrameBytes(), config.limits().maxChatLength(),
                                config.limits().maxNicknameLength(), config.limits().maxRoomNameLength(), calls.capacity(),
                                config.ice().maxVideoHeight(), pingInterval.toMillis()),
                        config.limits().rateLimitPerSecond(), config.limits().rateLimitBurst(), config.limits().idleTimeout(), config.store().chatHistory(),
                        config.limits().maxQueuedBytes(), config.limits().resumeWindow(),
                        // Burying the node takes the timeout; seating again and letting the room settle, a few seconds more.
                        config.cluster().nodeTimeout().plusSeconds(10)),
                bus, new Traffic(registry), fanOut, addresses, connectionLimits,
                new MediaRequests.Sfu(sfuRooms, new Layers(config.ice().maxVideoHeight()), scheduler), scheduler);
        scheduler.scheduleWithFixedDelay(rooms::reviewModes, 1, 1, TimeUnit.SECONDS);
        Gauge.builder("myzoom.connections", signal, SignalEndpoint::connectionCount)
                .description("open WebSocket connections on this node").register(registry);
        Gauge.builder("myzoom.rooms", rooms, Rooms::size).description("rooms held on this node").register(registry);
        Gauge.builder("myzoom.participants", rooms, Rooms::participants)
                .description("people in the rooms held on this node").register(registry);
        ObjectMapper json = new ObjectMapper();
        ClusterView view = new ClusterView(bus, rooms, signal::connectionCount, registry, json,
                room -> sfuRooms.flatMap(r -> r.instanceOf(room)));
        // The SFU's share of the load, for /metrics (Janus's own request times are timed in the links).
        Gauge.builder("myzoom.sfu.rooms", rooms, r -> r.held().stream().filter(room -> CallPlan.SFU.equals(room.mode())).count())
                .description("rooms held on this node whose calls go through the SFU").register(registry);
        Gauge.builder("myzoom.sfu.publishers", signal, SignalEndpoint::sfuPublishers)
                .description("connections on this node that publish a camera to the SFU").register(registry);
        Gauge.builder("myzoom.sfu.subscribers", signal, SignalEndpoint::sfuSubscribers)
                .description("connections on this node that receive others through the SFU").register(registry);
        sfuRooms.ifPresent(r -> scheduler.scheduleWithFixedDelay(() -> reportMediaServers(r, signal), 2, 2, TimeUnit.SECONDS));
        // Its own thread: the view talks to Redis, and a slow Redis must not hold up the room list.
        reporter.scheduleWithFixedDelay(() -> {
            try {
                view.tick();
            } catch (RuntimeException e) {
                log.warn("could not update the admin view: {}", e.toString());
            }
        }, 0, 2, TimeUnit.SECONDS);
        AdminActions actions = new AdminActions(rooms, bus);
        AdminApi admin = config.admin().adminPassword().map(password -> new AdminApi(
                adminAuth(config, password, database), view, actions, bus, meetingLog, store,
                roomRecords::protections, config.httpsForBrowsers(), json, addresses,
                new MediaServers(sfuRooms, metrics.registry()), new RecordingList(recordingRecords, recordings, store))).orElse(null);
        if (admin == null) {
            log.info("the admin panel is off; set ADMIN_PASSWORD to open it at /admin");
        }
        long sweep = Math.max(1000, pingInterval.toMillis() / 2);
        scheduler.scheduleWithFixedDelay(signal::dropSilentConnections, sweep, sweep, TimeUnit.MILLISECONDS);
        OriginPolicy origins = new OriginPolicy(config.http().publicUrl(), config.http().allowedOrigins());
        HostCheck hosts = new HostCheck(config.http().publicUrl(), config.http().allowedOrigins());

        KeyStore tls = config.tls().enabled() ? ServerCertificate.of(config.tls().tlsCert(), config.tls().tlsKey(),
                config.http().publicUrl(), config.http().host()) : null;
        javalin = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
            c.jetty.host = config.http().host();
            c.jetty.port = config.http().port();
            if (tls != null) {
                c.jetty.addConnector((server, http) -> Connectors.https(server, http, tls, config.http().host(),
                        config.http().port()));
                if (config.tls().httpRedirectPort() != 0) {
                    c.jetty.addConnector((server, http) -> Connectors.plain(server, new HttpConfiguration(), config.http().host(),
                            config.tls().httpRedirectPort()));
                }
            } else {
                c.jetty.addConnector((server, http) -> Connectors.plain(server, http, config.http().host(), config.http().port()));
            }
            c.jetty.modifyServletContextHandler(ContextTuning::apply);
            c.jetty.modifyWebSocketServletFactory(ws -> {
                ws.setMaxTextMessageSize(config.limits().maxFrameBytes());
                ws.setMaxBinaryMessageSize(config.limits().maxFrameBytes());
                // The heartbeat sweep drops silent clients; Jetty's own timeout is only a backstop.
                ws.setIdleTimeout(config.limits().idleTimeout().multipliedBy(2));
                ws.setMaxOutgoingFrames(1024);
            });
            new SecurityHeaders(tls != null, this::port).register(c.routes);
            c.staticFiles.add("/public", Location.CLASSPATH);
            new Pages().register(c.routes);
            new Health(() -> !stopping, database::reachable, config.cluster().redisUrl().isPresent() ? bus::reachable : null,
                    usesJanus ? () -> janus.map(JanusServers::up).orElse(false) : null)
                    .register(c.routes);
            new RoomApi(rooms).register(c.routes);
            new RecordingRoutes(recordingFiles, recordingRecords, store, recordingLinks, ctx -> admin != null && admin.signedIn(ctx),
                    Clock.systemUTC()).register(c.routes);
            metrics.register(c.routes);
            if (admin != null) {
                admin.register(c.routes);
            }
            c.routes.before(ctx -> {
                // Health checks come from load balancers and orchestrators by address, not by name.
                if (!hosts.allows(ctx.header("Host")) && !ctx.path().startsWith("/health/")) {
                    throw new HttpResponseException(421, "this server does not answer to that host name");
                }
            });
            c.routes.wsBeforeUpgrade("/ws", ctx -> {
                if (!hosts.allows(ctx.header("Host"))) {
                    throw new HttpResponseException(421, "this server does not answer to that host name");
                }
                if (!origins.allows(ctx.header("Origin"), ctx.header("Host"))) {
                    throw new ForbiddenResponse("this page's origin may not open the WebSocket");
                }
                String address = addresses.of(ctx.ip(), ctx.header("X-Forwarded-For"));
                if (!connectionLimits.mayUpgrade(AttemptLimit.addressKey(address))) {
                    throw new HttpResponseException(429, "too many connections from your address; try again later");
                }
            });
            c.routes.ws("/ws", signal::configure);
        });
    }

    /**
     * The key of the recordings' signed links: derived from ADMIN_SESSION_SECRET, or else from the
     * secret the first node put in the shared database, so that a link works on every node.
     */
    private static byte[] linkKey(Config config, Database database) {
        byte[] root = config.admin().adminSessionSecret().map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> HexFormat.of().parseHex(new AdminSessionRecords(database.jdbi()).secret(System.currentTimeMillis())));
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(root, "HmacSHA256"));
            return mac.doFinal("recording links".getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * The admin sessions' signer: with ADMIN_SESSION_SECRET, or else with the secret the first
     * node put in the shared database, so that every node accepts every node's sessions.
     */
    private AdminAuth adminAuth(Config config, String password, Database database) {
        AdminSessionRecords records = new AdminSessionRecords(database.jdbi());
        byte[] secret = config.admin().adminSessionSecret().map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> HexFormat.of().parseHex(records.secret(System.currentTimeMillis())));
        scheduler.scheduleWithFixedDelay(() -> store.write(() -> records.deleteExpired(System.currentTimeMillis())),
                1, 60, TimeUnit.MINUTES);
        return new AdminAuth(password, secret, new LoginThrottle(Clock.systemUTC()),
                new StoredRevocations(records, store), Clock.systemUTC());
    }


    /**
     * The Janus instances of JANUS_URLS, or else a Janus of the server's own when it is installed
     * and JANUS_LOCAL allows it, or none: then calls stay on the mesh.
     */
    private static Optional<JanusServers> janus(Config config, JanusClient.RequestTimer timer) {
        Config.Sfu sfu = config.sfu();
        JanusClient.Settings settings = JanusClient.Settings.defaults().timedBy(timer);
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        if (!sfu.janusUrls().isEmpty()) {
            return Optional.of(new JanusServers(sfu.janusUrls().stream()
                    .map(url -> new JanusLink(url, sfu.janusApiSecret(), sfu.janusAdminKey(), http, json, settings).start())
                    .toList(), Optional.empty()));
        }
        if (!runsOwnJanus(config)) {
            return Optional.empty();
        }
        LocalJanus local = LocalJanus.start(JanusInstall.find(JanusInstall.DEBIAN_BINARY).orElseThrow(), new LocalJanus.Settings(sfu.rtpPortMin(), sfu.rtpPortMax(),
                sfu.janusIceInterface(), Duration.ofSeconds(60)));
        JanusLink link = new JanusLink(local.url(), Optional.of(local.apiSecret()), Optional.of(local.adminKey()), http, json,
                settings).start();
        return Optional.of(new JanusServers(List.of(link), Optional.of(local)));
    }

    /** The media servers as last seen, by name, for /metrics. */
    private final Map<String, SfuRooms.Instance> mediaServers = new ConcurrentHashMap<>();

    /**
     * Every 2 s: this node's streams per Janus go to the shared placements (placement by load),
     * and each instance's state, rooms and streams to /metrics, a gauge set per instance.
     */
    private void reportMediaServers(SfuRooms sfuRooms, SignalEndpoint signal) {
        sfuRooms.report(signal.sfuStreams());
        sfuRooms.instances().thenAccept(instances -> instances.forEach(instance -> {
            if (mediaServers.put(instance.name(), instance) == null) {
                MeterRegistry registry = metrics.registry();
                String name = instance.name();
                Gauge.builder("myzoom.janus.up", mediaServers, m -> "down".equals(m.get(name).state()) ? 0 : 1)
                        .tag("instance", name).description("whether this Janus answers (1) or not (0)").register(registry);
                Gauge.builder("myzoom.janus.draining", mediaServers, m -> "draining".equals(m.get(name).state()) ? 1 : 0)
                        .tag("instance", name).description("whether this Janus is draining: no new rooms").register(registry);
                Gauge.builder("myzoom.janus.rooms", mediaServers, m -> m.get(name).rooms())
                        .tag("instance", name).description("rooms placed on this Janus, cluster-wide").register(registry);
                Gauge.builder("myzoom.janus.streams", mediaServers, m -> m.get(name).streams())
                        .tag("instance", name).description("streams on this Janus, cluster-wide (each m-line published or received)").register(registry);
            }
        })).exceptionally(failure -> {
            log.debug("could not read the media servers' load: {}", failure.toString());
            return null;
        });
    }

    /** Janus's answer times, by instance and request, in /metrics as myzoom_janus_requests_seconds. */
    private JanusClient.RequestTimer janusTimer() {
        MeterRegistry registry = metrics.registry();
        return (instance, request, nanos, ok) -> io.micrometer.core.instrument.Timer.builder("myzoom.janus.requests")
                .description("how long Janus took to answer a request")
                .tag("instance", instance.toString()).tag("request", request).tag("outcome", ok ? "ok" : "failed")
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Whether this server runs a Janus of its own: JANUS_URLS unset, JANUS_LOCAL on, Janus
     * installed, and no cluster. Each node of a cluster running its own would split every room
     * between Janus instances that know nothing of each other, so a cluster needs JANUS_URLS.
     */
    private static boolean runsOwnJanus(Config config) {
        Config.Sfu sfu = config.sfu();
        return sfu.janusUrls().isEmpty() && sfu.janusLocal() && config.cluster().redisUrl().isEmpty()
                && JanusInstall.find(JanusInstall.DEBIAN_BINARY).isPresent();
    }

    /**
     * The key the VideoRoom ids and secrets are drawn from (RoomKeys). Every node of a cluster
     * must draw the same: JANUS_ROOM_KEY, or else the API secret they all share. A lone server
     * with a local Janus, which has a fresh secret each start, draws a fresh one.
     */
    private static byte[] roomKey(Config.Sfu sfu) {
        return sfu.janusRoomKey().or(sfu::janusApiSecret)
                .map(key -> key.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> {
                    byte[] random = new byte[32];
                    new java.security.SecureRandom().nextBytes(random);
                    return random;
                });
    }

    /** The start-up log's line on media: which mode, and why. */
    private static String mediaMode(Config config, Optional<JanusServers> janus) {
        Config.Sfu sfu = config.sfu();
        if (janus.isEmpty() && sfu.janusLocal() && config.cluster().redisUrl().isPresent()) {
            return "media: mesh only (a cluster needs JANUS_URLS: a Janus of each node's own would split the rooms)";
        }
        if (janus.isEmpty()) {
            return "media: mesh only (" + (!sfu.janusLocal() ? "JANUS_URLS unset, JANUS_LOCAL=false"
                    : "JANUS_URLS unset and no Janus installed at " + JanusInstall.DEBIAN_BINARY) + ")";
        }
        String calls = "; rooms of " + sfu.sfuFrom() + " or more (up to " + sfu.maxParticipants() + ") go through it";
        return janus.get().local().map(local -> "media: local Janus at " + local.url() + ", RTP ports " + sfu.rtpPortMin()
                        + "-" + sfu.rtpPortMax() + ", its log in " + local.logFile() + calls)
                .orElse("media: external Janus at " + janus.get().describe() + calls);
    }

    public static App start(Config config) {
        App app = new App(config);
        app.javalin.start();
        log.info("My Zoom listening on {}://{}:{}", config.tls().enabled() ? "https" : "http",
                "0.0.0.0".equals(config.http().host()) ? "localhost" : config.http().host(), app.port());
        if (config.tls().httpRedirectPort() != 0) {
            log.info("plain HTTP on port {} redirects to HTTPS", config.tls().httpRedirectPort());
        }
        // After the port is bound, so that a server that cannot start leaves no Janus behind.
        app.janus = janus(config, app.janusTimer());
        log.info(mediaMode(config, app.janus));
        log.info(app.recordings.available() ? "recording: on, files in " + config.recording().dir().toAbsolutePath()
                : "recording: off (it needs the media server, janus-pp-rec from janus-tools, and ffmpeg)");
        app.recordings.resumeUnfinished(config.cluster().redisUrl().isEmpty());
        return app;
    }

    /** The SFU's Janus instances, once started; empty when calls use the mesh only. */
    public Optional<JanusServers> janus() {
        return janus;
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
        signal.closeAll(CloseCodes.SERVICE_RESTART, "server restart");
        javalin.stop();
        recordings.close();
        janus.ifPresent(JanusServers::close);
        bus.close();
        scheduler.shutdownNow();
        reporter.shutdownNow();
        passwordChecks.close();
        store.close();
        fanOut.close();
        database.close();
        metrics.close();
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
        App app;
        try {
            app = start(config);
        } catch (Tls.Unusable e) {
            System.err.println("Invalid TLS_CERT/TLS_KEY: " + e.getMessage());
            System.exit(2);
            return;
        } catch (io.lettuce.core.RedisException e) {
            System.err.println("Cannot reach Redis at REDIS_URL=" + config.cluster().redisUrl().orElse("") + ": " + e.getMessage());
            System.exit(2);
            return;
        } catch (org.flywaydb.core.api.FlywayException | com.zaxxer.hikari.pool.HikariPool.PoolInitializationException e) {
            System.err.println("Cannot open the database at DATABASE_URL=" + config.store().databaseUrl() + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down: closing {} connections with 1012", app.connectionCount());
            app.close();
        }, "shutdown"));
    }
}
