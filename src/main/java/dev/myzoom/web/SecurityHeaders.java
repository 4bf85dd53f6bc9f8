package dev.myzoom.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.function.IntSupplier;

/**
 * Headers that make the pages harder to abuse, on every response; and, with TLS on, a redirect
 * of plain HTTP to HTTPS. The pages load no inline script or style, so the policy can forbid
 * both; media comes from the camera (mediastream:/blob:), and the WebSocket is same-origin.
 */
public final class SecurityHeaders {
    static final String CSP = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "media-src 'self' blob: mediastream:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    private final boolean tls;
    private final IntSupplier httpsPort;

    /** @param httpsPort the port HTTPS is served on, for redirects (known once the server listens) */
    public SecurityHeaders(boolean tls, IntSupplier httpsPort) {
        this.tls = tls;
        this.httpsPort = httpsPort;
    }

    public void register(RoutesConfig routes) {
        routes.before(this::apply);
    }

    private void apply(Context ctx) {
        if (tls && !ctx.req().isSecure()) {
            String host = ctx.req().getServerName();
            int https = httpsPort.getAsInt();
            String port = https == 443 ? "" : ":" + https;
            String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
            ctx.header("Location", "https://" + host + port + ctx.path() + query);
            ctx.status(HttpStatus.PERMANENT_REDIRECT);
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self), speaker-selection=(self)");
        if (tls) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
    }
}
