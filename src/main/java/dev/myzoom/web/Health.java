package dev.myzoom.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Liveness says the process answers; readiness says it should get traffic. While the server shuts
 * down it stays live but stops being ready, so a load balancer sends new people elsewhere.
 */
public final class Health {
    private final BooleanSupplier accepting;

    public Health(BooleanSupplier accepting) {
        this.accepting = accepting;
    }

    public void register(RoutesConfig routes) {
        routes.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
        routes.get("/health/ready", ctx -> {
            boolean ready = accepting.getAsBoolean();
            ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .json(Map.of("status", ready ? "ready" : "stopping"));
        });
    }
}
