package dev.myzoom;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every setting of the server, read once at start-up. Each one comes from an environment
 * variable, and a {@code -D} system property of the same name wins over it, so that a test or a
 * one-off run can override the environment without editing it.
 */
public record Config(Http http, Limits limits, Ice ice, Tls tls, Store store, Cluster cluster, Admin admin, Sfu sfu,
        Recording recording) {
    /** Where the server listens and who may talk to it. */
    public record Http(String host, int port, Optional<URI> publicUrl, List<String> allowedOrigins,
            List<String> trustedProxies) {}

    /** What one client may do, and what one node holds. */
    public record Limits(int maxConnections, int maxConnectionsPerAddress, int upgradeRate, int maxFrameBytes,
            int maxChatLength, int maxNicknameLength, int maxRoomNameLength, int rateLimitPerSecond,
            int rateLimitBurst, int maxQueuedBytes, Duration roomListWindow, Duration idleTimeout,
            int maxMeshParticipants, Duration resumeWindow) {}

    /** What browsers are told about ICE (STUN, TURN) and the camera size. */
    public record Ice(List<String> stunUrls, List<String> turnUrls, Optional<String> turnSecret, Duration turnTtl,
            boolean forceRelay, int maxVideoHeight) {}

    /** HTTPS served by the server itself. */
    public record Tls(Optional<Path> tlsCert, Optional<Path> tlsKey, boolean tlsSelfSigned, int httpRedirectPort) {
        /** Whether the server speaks TLS itself. */
        public boolean enabled() {
            return tlsCert.isPresent() || tlsSelfSigned;
        }
    }

    /** The database, and what it keeps for how long. */
    public record Store(String databaseUrl, String databaseUser, String databasePassword, int chatHistory,
            int chatRetentionDays, int meetingLogRetentionDays, int roomRecordRetentionDays,
            Duration roomPasswordIdle) {}

    /** The nodes of a cluster and their bus. */
    public record Cluster(Optional<String> redisUrl, Optional<String> clusterSecret, Duration nodeTimeout) {}

    /** The admin panel and /metrics. */
    public record Admin(Optional<String> adminPassword, Optional<String> adminSessionSecret, Optional<String> metricsToken) {}

    /**
     * The SFU (Janus) that carries the calls of bigger rooms: Janus instances of the operator's
     * (janusUrls), or, without them, a Janus the server runs itself when it is installed and
     * janusLocal allows it. Secrets and ports of the local one are its own.
     */
    public record Sfu(List<URI> janusUrls, Optional<String> janusApiSecret, Optional<String> janusAdminKey, int sfuFrom,
            int maxParticipants, boolean janusLocal, Optional<String> janusIceInterface, int rtpPortMin, int rtpPortMax,
            Optional<String> janusRoomKey, int janusMaxStreams) {}

    /**
     * Meeting recordings: where their files go (the Janus host must see the same folder at the
     * same path), how long they are kept, the disk space that must stay free while recording,
     * and how long the host's link to a file works.
     */
    public record Recording(Path dir, int retentionDays, long minFreeBytes, Duration linkLifetime) {}

    /**
     * Whether browsers reach the server over HTTPS: it serves TLS itself, or a proxy in front of
     * it does (PUBLIC_URL is https). Cookies then get {@code Secure}, so that one visit to http://
     * does not send them in clear.
     */
    public boolean httpsForBrowsers() {
        return tls.enabled() || http.publicUrl().map(url -> "https".equals(url.getScheme())).orElse(false);
    }

    /** One setting as {@code --help} shows it. */
    public record Setting(String name, String defaultValue, String help) {}

    public static final List<Setting> SETTINGS = List.of(
            new Setting("PORT", "8080", "TCP port for HTTP and the WebSocket (0 picks a free one)"),
            new Setting("HOST", "0.0.0.0", "address to listen on"),
            new Setting("PUBLIC_URL", "", "the address people use to reach the server, e.g. https://meet.example.com; its origin may open the WebSocket"),
            new Setting("ALLOWED_ORIGINS", "", "extra origins allowed to open the WebSocket, comma-separated, or * for any; the page's own origin is always allowed"),
            new Setting("TRUSTED_PROXIES", "", "addresses or networks (CIDR) of your reverse proxies, comma-separated, e.g. 10.0.0.5,fd00::/8; X-Forwarded-For is believed only from them, so that throttles count real clients"),
            new Setting("MAX_CONNECTIONS", "10000", "the most WebSockets this node holds open; more are closed with 1013 (try again later)"),
            new Setting("MAX_CONNECTIONS_PER_ADDRESS", "50", "the most WebSockets one address (an IPv6 /64) may hold open; an office behind one NAT counts as one address"),
            new Setting("UPGRADE_RATE", "10", "new WebSockets per second one address may open (with a burst of MAX_CONNECTIONS_PER_ADDRESS); more get HTTP 429"),
            new Setting("MAX_FRAME_BYTES", "65536", "largest WebSocket message a client may send; bigger ones close the connection with 1009"),
            new Setting("MAX_CHAT_LENGTH", "2000", "longest chat message, in characters"),
            new Setting("MAX_NICKNAME_LENGTH", "32", "longest nickname, in characters"),
            new Setting("MAX_ROOM_NAME_LENGTH", "64", "longest room name, in characters"),
            new Setting("RATE_LIMIT", "40", "messages per second a connection may send on average"),
            new Setting("RATE_BURST", "120", "messages a connection may send at once before the rate limit applies (a call setup sends a burst of ICE candidates)"),
            new Setting("MAX_QUEUED_BYTES", "2097152", "bytes that may wait to be sent to one connection; a client that reads slower than that is dropped, so it cannot hold the server's memory"),
            new Setting("ROOM_LIST_WINDOW_MS", "100", "room-list changes are gathered for this long and sent as one update"),
            new Setting("MAX_MESH_PARTICIPANTS", "6", "the most people in one room (up to 1000); in a call everyone sends video to everyone else, so keep it near 6 unless the room is for chat"),
            new Setting("STUN_URLS", "", "STUN servers for the browsers, comma-separated, e.g. stun:stun.example.com:3478"),
            new Setting("TURN_URLS", "", "TURN servers, comma-separated, e.g. turn:turn.example.com:3478?transport=udp,turns:turn.example.com:443?transport=tcp"),
            new Setting("TURN_SECRET", "", "coturn's static-auth-secret; browsers get short-lived credentials made from it, never the secret"),
            new Setting("TURN_TTL", "900", "how long TURN credentials stay valid, in seconds (60 to 14400); a call keeps its relay past it, a new one needs fresh credentials, which a join gets"),
            new Setting("FORCE_RELAY", "false", "true makes browsers send media only through TURN, for troubleshooting"),
            new Setting("VIDEO_MAX_HEIGHT", "720", "the camera resolution browsers ask for, as a height in pixels"),
            new Setting("TLS_CERT", "", "PEM file with the server's certificate chain; with TLS_KEY, PORT serves HTTPS and wss"),
            new Setting("TLS_KEY", "", "PEM file with the certificate's private key"),
            new Setting("TLS_SELF_SIGNED", "false", "true serves HTTPS with a certificate made at start-up, for a trial on a LAN (browsers will warn)"),
            new Setting("HTTP_REDIRECT_PORT", "0", "with TLS on, a port that answers plain HTTP with a redirect to HTTPS (0: none)"),
            new Setting("DATABASE_URL", "jdbc:h2:file:./data/myzoom;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
                    "JDBC URL of the database; the default is an embedded H2 file under ./data, e.g. jdbc:postgresql://db.example.com/myzoom for PostgreSQL"),
            new Setting("DATABASE_USER", "sa", "database user"),
            new Setting("DATABASE_PASSWORD", "", "database password"),
            new Setting("CHAT_HISTORY", "50", "how many earlier chat lines a newcomer sees"),
            new Setting("CHAT_RETENTION_DAYS", "30", "chat lines older than this are deleted"),
            new Setting("MEETING_LOG_RETENTION_DAYS", "90", "meeting log entries (joins, leaves, admin actions) older than this are deleted"),
            new Setting("ROOM_RECORD_RETENTION_DAYS", "90", "a room's database row is deleted once the room has been inactive this long, unless it has a password or chat lines"),
            new Setting("ROOM_PASSWORD_IDLE_SECONDS", "600", "a room's password ends once the room has been empty this long (a lock ends as soon as it is empty), so nobody can keep a room name for good"),
            new Setting("IDLE_TIMEOUT_SECONDS", "45", "a connection that sends nothing (browsers send a heartbeat ping every third of this) for this long is dropped"),
            new Setting("RESUME_SECONDS", "30", "when a connection in a room is cut, its participant stays this long for the page to come back as the same person, calls and all, without the others seeing a leave (0: leave at once)"),
            new Setting("REDIS_URL", "", "Redis that the nodes of a cluster share, e.g. rediss://myzoom:password@redis.example.com:6379; unset, the node runs alone"),
            new Setting("CLUSTER_SECRET", "", "required with REDIS_URL, the same on every node (at least 16 characters): every message between nodes is signed with it, and unsigned ones are dropped"),
            new Setting("NODE_TIMEOUT_SECONDS", "15", "in a cluster, a node that stops beating for this long is taken for dead: its participants leave their rooms"),
            new Setting("ADMIN_PASSWORD", "", "password of the admin panel at /admin (at least 12 characters); unset, there is no admin panel"),
            new Setting("ADMIN_SESSION_SECRET", "", "signs admin sessions (at least 32 characters, the same on every node); unset, a random secret kept in the database is used"),
            new Setting("METRICS_TOKEN", "", "bearer token that /metrics asks for; unset, /metrics is open (keep it off the internet)"),
            new Setting("JANUS_URLS", "", "WebSocket API addresses of your Janus servers (the SFU for bigger rooms), comma-separated, e.g. ws://10.0.0.7:8188; unset, the server runs a Janus of its own if one is installed (see JANUS_LOCAL)"),
            new Setting("JANUS_API_SECRET", "", "required with JANUS_URLS: Janus's api_secret, sent with every request; browsers never see it (a local Janus gets a random one)"),
            new Setting("JANUS_ADMIN_KEY", "", "the admin_key of Janus's VideoRoom plugin, needed to create rooms if it is set there (a local Janus gets a random one)"),
            new Setting("SFU_FROM", "3", "rooms of this many people or more have their calls carried by the SFU, when there is one (1: always); must not exceed MAX_MESH_PARTICIPANTS + 1"),
            new Setting("MAX_PARTICIPANTS", "50", "the most people in one room when calls go through the SFU (2 to 1000); without an SFU, MAX_MESH_PARTICIPANTS is the cap"),
            new Setting("JANUS_LOCAL", "true", "with JANUS_URLS unset: true starts and supervises a Janus of the server's own when /usr/bin/janus is installed; false keeps calls on the mesh"),
            new Setting("JANUS_ICE_INTERFACE", "", "interfaces or address prefixes the local Janus may gather ICE candidates on (its ice_enforce_list), comma-separated, e.g. eth0; unset, every interface but loopback"),
            new Setting("JANUS_RTP_PORTS", "20000-40000", "the UDP port range of the local Janus's media, e.g. 20000-20999; open it in the firewall"),
            new Setting("JANUS_ROOM_KEY", "", "the key the servers derive each room's Janus id and secret from; the same on every node (unset: JANUS_API_SECRET is used)"),
            new Setting("JANUS_MAX_STREAMS", "2000", "a Janus instance carrying this many streams (each publisher's and subscriber's audio and video) gets no new rooms"),
            new Setting("RECORDINGS_DIR", "./recordings", "where meeting recordings go: Janus writes raw tracks under raw/ (an external Janus must see this folder at the same path), and each finished recording is one .mp4 here"),
            new Setting("RECORDING_RETENTION_DAYS", "30", "recordings older than this are deleted, files and all (checked hourly)"),
            new Setting("RECORDING_MIN_FREE_MB", "500", "recording is refused, and running recordings stop (keeping what they have), when less than this is free in RECORDINGS_DIR"),
            new Setting("RECORDING_LINK_HOURS", "24", "how long the link the host gets to a finished recording works without a login"));

    /** A setting with a value the server cannot use; its message is the one line shown to the operator. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String name, String value, String expected) {
            super("Invalid setting " + name + "=\"" + value + "\": " + expected);
        }
    }

    public static Config fromEnvironment() {
        Map<String, String> env = System.getenv();
        return from(name -> System.getProperty(name, env.get(name)));
    }

    /** Reads settings through {@code lookup}, which answers null for a setting that is not set. */
    public static Config from(Function<String, String> lookup) {
        Reader r = new Reader(lookup);
        Config config = new Config(
                new Http(
                        r.text("HOST"),
                        r.integer("PORT", 0, 65535),
                        r.url("PUBLIC_URL"),
                        r.list("ALLOWED_ORIGINS"),
                        r.proxies("TRUSTED_PROXIES")),
                new Limits(
                        r.integer("MAX_CONNECTIONS", 1, 1_000_000),
                        r.integer("MAX_CONNECTIONS_PER_ADDRESS", 1, 1_000_000),
                        r.integer("UPGRADE_RATE", 1, 100_000),
                        r.integer("MAX_FRAME_BYTES", 1024, 16 * 1024 * 1024),
                        r.integer("MAX_CHAT_LENGTH", 1, 100_000),
                        r.integer("MAX_NICKNAME_LENGTH", 1, 200),
                        r.integer("MAX_ROOM_NAME_LENGTH", 1, 200),
                        r.integer("RATE_LIMIT", 1, 100_000),
                        r.integer("RATE_BURST", 1, 100_000),
                        r.integer("MAX_QUEUED_BYTES", 512 * 1024, 64 * 1024 * 1024),
                        Duration.ofMillis(r.integer("ROOM_LIST_WINDOW_MS", 0, 60_000)),
                        Duration.ofSeconds(r.integer("IDLE_TIMEOUT_SECONDS", 5, 3600)),
                        r.integer("MAX_MESH_PARTICIPANTS", 2, 1000),
                        Duration.ofSeconds(r.integer("RESUME_SECONDS", 0, 600))),
                new Ice(
                        r.iceUrls("STUN_URLS", "stun:"),
                        r.iceUrls("TURN_URLS", "turns?:"),
                        r.secret("TURN_SECRET", "TURN_URLS"),
                        Duration.ofSeconds(r.integer("TURN_TTL", 60, 4 * 3600)),
                        r.bool("FORCE_RELAY"),
                        r.integer("VIDEO_MAX_HEIGHT", 90, 2160)),
                new Tls(
                        r.file("TLS_CERT"),
                        r.file("TLS_KEY"),
                        r.bool("TLS_SELF_SIGNED"),
                        r.integer("HTTP_REDIRECT_PORT", 0, 65535)),
                new Store(
                        r.jdbcUrl("DATABASE_URL"),
                        r.text("DATABASE_USER"),
                        r.raw("DATABASE_PASSWORD"),
                        r.integer("CHAT_HISTORY", 0, 1000),
                        r.integer("CHAT_RETENTION_DAYS", 1, 36500),
                        r.integer("MEETING_LOG_RETENTION_DAYS", 1, 36500),
                        r.integer("ROOM_RECORD_RETENTION_DAYS", 1, 36500),
                        Duration.ofSeconds(r.integer("ROOM_PASSWORD_IDLE_SECONDS", 1, 7 * 24 * 3600))),
                new Cluster(
                        r.redisUrl("REDIS_URL"),
                        r.secret("CLUSTER_SECRET", "REDIS_URL"),
                        Duration.ofSeconds(r.integer("NODE_TIMEOUT_SECONDS", 3, 3600))),
                new Admin(
                        r.optionalRaw("ADMIN_PASSWORD"),
                        r.optionalText("ADMIN_SESSION_SECRET"),
                        r.optionalRaw("METRICS_TOKEN")),
                new Sfu(
                        r.janusUrls("JANUS_URLS"),
                        r.secret("JANUS_API_SECRET", "JANUS_URLS"),
                        r.optionalText("JANUS_ADMIN_KEY"),
                        r.integer("SFU_FROM", 1, 1000),
                        r.integer("MAX_PARTICIPANTS", 2, 1000),
                        r.bool("JANUS_LOCAL"),
                        r.interfaces("JANUS_ICE_INTERFACE"),
                        r.portRange("JANUS_RTP_PORTS")[0],
                        r.portRange("JANUS_RTP_PORTS")[1],
                        r.optionalText("JANUS_ROOM_KEY"),
                        r.integer("JANUS_MAX_STREAMS", 10, 1_000_000)),
                new Recording(
                        Path.of(r.text("RECORDINGS_DIR")),
                        r.integer("RECORDING_RETENTION_DAYS", 1, 36500),
                        r.integer("RECORDING_MIN_FREE_MB", 0, 10_000_000) * 1024L * 1024L,
                        Duration.ofHours(r.integer("RECORDING_LINK_HOURS", 1, 24 * 30))));
        if (config.admin().adminPassword().isPresent() && config.admin().adminPassword().get().length() < 12) {
            throw new Invalid("ADMIN_PASSWORD", "(hidden)", "use at least 12 characters");
        }
        if (config.admin().adminSessionSecret().isPresent() && config.admin().adminSessionSecret().get().length() < 32) {
            throw new Invalid("ADMIN_SESSION_SECRET", "(hidden)", "use at least 32 characters, e.g. from openssl rand -hex 32");
        }
        if (config.cluster().clusterSecret().isPresent() && config.cluster().clusterSecret().get().length() < 16) {
            throw new Invalid("CLUSTER_SECRET", "(hidden)", "use at least 16 characters, e.g. from openssl rand -hex 32");
        }
        if (config.sfu().sfuFrom() > config.sfu().maxParticipants()) {
            throw new Invalid("SFU_FROM", String.valueOf(config.sfu().sfuFrom()), "must not exceed MAX_PARTICIPANTS ("
                    + config.sfu().maxParticipants() + ")");
        }
        if (config.sfu().sfuFrom() > config.limits().maxMeshParticipants() + 1) {
            // A room would be full on the mesh before it ever reached the SFU.
            throw new Invalid("SFU_FROM", String.valueOf(config.sfu().sfuFrom()), "must not exceed MAX_MESH_PARTICIPANTS + 1 ("
                    + (config.limits().maxMeshParticipants() + 1) + ")");
        }
        if (config.ice().forceRelay() && config.ice().turnUrls().isEmpty()) {
            throw new Invalid("FORCE_RELAY", "true", "relay-only calls need TURN_URLS");
        }
        if (config.tls().tlsCert().isPresent() != config.tls().tlsKey().isPresent()) {
            String missing = config.tls().tlsCert().isPresent() ? "TLS_KEY" : "TLS_CERT";
            throw new Invalid(missing, "", "TLS_CERT and TLS_KEY go together");
        }
        if (config.tls().tlsCert().isPresent() && config.tls().tlsSelfSigned()) {
            throw new Invalid("TLS_SELF_SIGNED", "true", "choose either TLS_CERT/TLS_KEY or TLS_SELF_SIGNED");
        }
        if (config.tls().httpRedirectPort() != 0 && !config.tls().enabled()) {
            throw new Invalid("HTTP_REDIRECT_PORT", String.valueOf(config.tls().httpRedirectPort()), "redirects to HTTPS need TLS_CERT/TLS_KEY or TLS_SELF_SIGNED");
        }
        return config;
    }

    public static String help() {
        StringBuilder out = new StringBuilder("""
                My Zoom: a self-hosted video meeting server.

                Usage: java -jar my-zoom.jar [--help]

                Settings come from environment variables; a -DNAME=value system property of the
                same name wins over the environment.

                """);
        for (Setting s : SETTINGS) {
            out.append(String.format("  %-22s %s%n  %-22s default: %s%n",
                    s.name(), s.help(), "", s.defaultValue().isEmpty() ? "(none)" : s.defaultValue()));
        }
        return out.toString();
    }

    private record Reader(Function<String, String> lookup) {
        String text(String name) {
            String value = lookup.apply(name);
            if (value == null || value.isBlank()) {
                return SETTINGS.stream().filter(s -> s.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no such setting " + name))
                        .defaultValue();
            }
            return value.trim();
        }

        int integer(String name, int min, int max) {
            String value = text(name);
            try {
                int n = Integer.parseInt(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below with the accepted range
            }
            throw new Invalid(name, value, "expected a whole number from " + min + " to " + max);
        }

        /** An http(s) address such as PUBLIC_URL, or empty when unset. */
        Optional<URI> url(String name) {
            return uri(name, List.of("http", "https"), "an http:// or https:// address such as https://meet.example.com");
        }

        /**
         * A URI of one of {@code schemes} with a host, or empty when unset.
         *
         * @param expected what the operator is told a good value looks like
         */
        Optional<URI> uri(String name, List<String> schemes, String expected) {
            String value = text(name);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                URI uri = URI.create(value);
                if (uri.getScheme() != null && schemes.contains(uri.getScheme()) && uri.getHost() != null) {
                    return Optional.of(uri);
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            throw new Invalid(name, value, "expected " + expected);
        }

        /** ICE server URLs of one scheme, such as stun:host:3478 (RFC 7064). */
        List<String> iceUrls(String name, String scheme) {
            String value = text(name);
            List<String> urls = Arrays.stream(value.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList();
            for (String url : urls) {
                if (!url.matches(scheme + "[^\\s/?#:]+(:\\d{1,5})?(\\?transport=(udp|tcp))?")) {
                    throw new Invalid(name, value, "expected URLs such as " + scheme.replace("s?", "") + "host.example.com:3478, comma-separated");
                }
            }
            return urls;
        }

        Optional<Path> file(String name) {
            String value = text(name);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            Path path = Path.of(value);
            if (!Files.isReadable(path)) {
                throw new Invalid(name, value, "no readable file there");
            }
            return Optional.of(path);
        }

        String jdbcUrl(String name) {
            String value = text(name);
            if (!value.startsWith("jdbc:h2:") && !value.startsWith("jdbc:postgresql:")) {
                throw new Invalid(name, value, "expected a jdbc:postgresql: or jdbc:h2: URL");
            }
            return value;
        }

        Optional<String> redisUrl(String name) {
            return uri(name, List.of("redis", "rediss"), "a redis:// or rediss:// address such as redis://localhost:6379")
                    .map(uri -> text(name));
        }

        /** A value with spaces around it trimmed, or empty when unset. */
        Optional<String> optionalText(String name) {
            String value = text(name);
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        /** A secret taken as it is, or empty when unset. */
        Optional<String> optionalRaw(String name) {
            String value = raw(name);
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        /** A value taken as it is, spaces included (a password may have them). */
        String raw(String name) {
            String value = lookup.apply(name);
            return value == null ? "" : value;
        }

        boolean bool(String name) {
            String value = text(name);
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(value);
            }
            throw new Invalid(name, value, "expected true or false");
        }

        /** A secret that must be set when {@code neededBy} is. */
        Optional<String> secret(String name, String neededBy) {
            String value = text(name);
            if (value.isEmpty() && !text(neededBy).isEmpty()) {
                throw new Invalid(name, value, "required when " + neededBy + " is set");
            }
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        /** Janus WebSocket API addresses (ws:// or wss://), comma-separated; empty when unset. */
        List<URI> janusUrls(String name) {
            String value = text(name);
            List<URI> urls = new ArrayList<>();
            for (String item : value.split(",")) {
                String url = item.trim();
                if (url.isEmpty()) {
                    continue;
                }
                try {
                    URI uri = URI.create(url);
                    if (uri.getScheme() != null && List.of("ws", "wss").contains(uri.getScheme()) && uri.getHost() != null
                            && uri.getUserInfo() == null) {
                        urls.add(uri);
                        continue;
                    }
                } catch (IllegalArgumentException ignored) {
                    // reported below
                }
                throw new Invalid(name, value, "expected ws:// or wss:// addresses such as ws://10.0.0.7:8188, comma-separated");
            }
            return List.copyOf(urls);
        }

        /** Network interface names or address prefixes, comma-separated, as Janus's ice_enforce_list takes them. */
        Optional<String> interfaces(String name) {
            String value = text(name);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            List<String> items = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (items.isEmpty() || !items.stream().allMatch(i -> i.matches("[A-Za-z0-9._:@-]{1,64}"))) {
                throw new Invalid(name, value, "expected interface names or address prefixes such as eth0 or 10.0.0., comma-separated");
            }
            return Optional.of(String.join(",", items));
        }

        /** A UDP port range such as 20000-40000, as {min, max}. */
        int[] portRange(String name) {
            String value = text(name);
            Matcher m = Pattern.compile("(\\d{1,5})\\s*-\\s*(\\d{1,5})").matcher(value);
            if (m.matches()) {
                int min = Integer.parseInt(m.group(1));
                int max = Integer.parseInt(m.group(2));
                if (min >= 1024 && max <= 65535 && min < max) {
                    return new int[] {min, max};
                }
            }
            throw new Invalid(name, value, "expected a range of UDP ports such as 20000-40000 (from 1024 to 65535, low-high)");
        }

        List<String> proxies(String name) {
            String value = text(name);
            List<String> items = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            for (String item : items) {
                if (!dev.myzoom.web.ClientAddress.valid(item)) {
                    throw new Invalid(name, value, "expected IP addresses or networks such as 10.0.0.5 or 10.0.0.0/24, comma-separated");
                }
            }
            return items;
        }

        List<String> list(String name) {
            String value = text(name);
            List<String> items = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            for (String item : items) {
                if (!item.equals("*") && !item.matches("https?://[^/\\s]+")) {
                    throw new Invalid(name, value, "expected origins such as https://meet.example.com (no path), comma-separated, or *");
                }
            }
            return items;
        }
    }
}
