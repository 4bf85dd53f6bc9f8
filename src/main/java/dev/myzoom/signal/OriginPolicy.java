package dev.myzoom.signal;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which web pages may open the WebSocket. Browsers always send {@code Origin} on a WebSocket
 * upgrade, so checking it stops another site from using a visitor's browser to join meetings.
 * Clients that are not browsers send no Origin and are let through; they could forge it anyway.
 */
public final class OriginPolicy {
    private final boolean anyOrigin;
    private final Set<String> allowed = new HashSet<>();

    public OriginPolicy(Optional<URI> publicUrl, List<String> allowedOrigins) {
        this.anyOrigin = allowedOrigins.contains("*");
        publicUrl.ifPresent(url -> allowed.add(origin(url)));
        allowedOrigins.stream().filter(o -> !o.equals("*")).map(URI::create).map(OriginPolicy::origin).forEach(allowed::add);
    }

    /** @param host the Host header of the upgrade request, which names the page's own server */
    public boolean allows(String origin, String host) {
        if (origin == null || anyOrigin) {
            return true;
        }
        URI uri;
        try {
            uri = URI.create(origin.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getHost() == null) {
            return false;
        }
        if (host != null && authority(uri).equalsIgnoreCase(host.trim())) {
            return true;
        }
        return allowed.contains(origin(uri));
    }

    private static String authority(URI uri) {
        return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    private static String origin(URI uri) {
        int port = uri.getPort();
        if (port == -1) {
            port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
        return (uri.getScheme() + "://" + uri.getHost() + ":" + port).toLowerCase(Locale.ROOT);
    }
}
