package dev.myzoom.web;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which names the server answers to. Without it a page on a domain that rebinds its DNS to a
 * LAN deployment's address could script the server from a visitor's browser (the browser thinks
 * it talks to that domain, so its Origin matches its Host). With {@code PUBLIC_URL} set, only its
 * host, localhost and the hosts of {@code ALLOWED_ORIGINS} are accepted; without it, any (there
 * is no name to hold the request to).
 */
public final class HostCheck {
    private final Set<String> hosts = new HashSet<>();
    private final boolean any;

    public HostCheck(Optional<URI> publicUrl, List<String> allowedOrigins) {
        this.any = publicUrl.isEmpty();
        publicUrl.ifPresent(url -> hosts.add(url.getHost().toLowerCase(Locale.ROOT)));
        hosts.addAll(List.of("localhost", "127.0.0.1", "[::1]", "::1"));
        allowedOrigins.stream().filter(o -> !o.equals("*"))
                .map(o -> URI.create(o).getHost()).filter(h -> h != null).map(h -> h.toLowerCase(Locale.ROOT))
                .forEach(hosts::add);
    }

    /** @param hostHeader the request's Host header, with or without a port */
    public boolean allows(String hostHeader) {
        if (any) {
            return true;
        }
        if (hostHeader == null) {
            return false;
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? host : host.substring(0, end + 1);
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        return hosts.contains(host);
    }
}
