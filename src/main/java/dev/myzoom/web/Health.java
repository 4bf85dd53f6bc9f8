package dev.myzoom.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Liveness says the process answers; readiness says it should get traffic. While the server shuts
 * down it stays live but stops being ready, so a load balancer sends new people elsewhere.
 * Readiness also reports the database: without it calls work but chat does not.
 */
public final class Health {
    private final BooleanSupplier accepting;
    private final BooleanSupplier database;

    public Health(BooleanSupplier accepting, BooleanSupplier database) {
        this.accepting = accepting;
        this.database = database;
    }

    public void register(RoutesConfig routes) {
        routes.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
        routes.get("/health/ready", ctx -> {
            boolean running = accepting.getAsBoolean();
            boolean db = database.getAsBoolean();
            boolean ready = running && db;
            ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(Map.of(
                    "status", !running ? "stopping" : ready ? "ready" : "degraded",
                    "database", db ? "up" : "down"));
        });
    }
}
