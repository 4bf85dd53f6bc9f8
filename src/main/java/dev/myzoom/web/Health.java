package dev.myzoom.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Liveness says the process answers; readiness says it should get traffic. While the server shuts
 * down it stays live but stops being ready, so a load balancer sends new people elsewhere.
 * Readiness also reports the database (without it calls work but chat does not) and, in a
 * cluster, Redis (without it the node serves only the rooms it holds), and, with an SFU, Janus
 * (without it bigger rooms have no calls).
 */
public final class Health {
    private final BooleanSupplier accepting;
    private final BooleanSupplier database;
    private final BooleanSupplier redis;
    private final BooleanSupplier janus;

    /**
     * @param redis whether Redis is reachable, or null when the node runs alone
     * @param janus whether every Janus answers, or null when calls use the mesh only
     */
    public Health(BooleanSupplier accepting, BooleanSupplier database, BooleanSupplier redis, BooleanSupplier janus) {
        this.accepting = accepting;
        this.database = database;
        this.redis = redis;
        this.janus = janus;
    }

    public void register(RoutesConfig routes) {
        routes.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
        routes.get("/health/ready", ctx -> {
            boolean running = accepting.getAsBoolean();
            boolean db = database.getAsBoolean();
            boolean cluster = redis == null || redis.getAsBoolean();
            // A Janus that is down is reported, but leaves the node ready: its rooms fall back to
            // the mesh, and a load balancer that dropped every node for it would end every call.
            boolean sfu = janus == null || janus.getAsBoolean();
            boolean ready = running && db && cluster;
            Map<String, String> body = new LinkedHashMap<>();
            body.put("status", !running ? "stopping" : ready ? "ready" : "degraded");
            body.put("database", db ? "up" : "down");
            body.put("redis", redis == null ? "not used" : cluster ? "up" : "down");
            body.put("janus", janus == null ? "not used" : sfu ? "up" : "down");
            ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
        });
    }
}
