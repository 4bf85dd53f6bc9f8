package dev.myzoom.media.janus;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Janus instances this node uses for calls, each behind a {@link JanusLink}, and the local
 * Janus the node runs itself when there is one. The server holds one of these when an SFU is
 * configured and none otherwise; closing it closes the links first, then stops the local Janus.
 */
public final class JanusServers implements AutoCloseable {
    private final List<JanusLink> links;
    private final Optional<LocalJanus> local;

    public JanusServers(List<JanusLink> links, Optional<LocalJanus> local) {
        this.links = List.copyOf(links);
        this.local = local;
    }

    public List<JanusLink> links() {
        return links;
    }

    public Optional<LocalJanus> local() {
        return local;
    }

    /** Whether every instance answers: what /health/ready reports as "janus". */
    public boolean up() {
        return !links.isEmpty() && links.stream().allMatch(JanusLink::up);
    }

    /** The instances for the start-up log. */
    public String describe() {
        return links.stream().map(l -> l.uri().toString()).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        links.forEach(JanusLink::close);
        local.ifPresent(LocalJanus::close);
    }
}
