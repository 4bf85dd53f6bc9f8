package dev.myzoom.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The key store HTTPS serves: the operator's PEM files, or a certificate made up for a LAN trial. */
public final class ServerCertificate {
    private static final Logger log = LoggerFactory.getLogger(ServerCertificate.class);

    private ServerCertificate() {
    }

    /**
     * @param cert and {@code key}: TLS_CERT and TLS_KEY, or both empty for a self-signed one
     * @param publicUrl and {@code host}: names the self-signed certificate should cover
     */
    public static KeyStore of(Optional<Path> cert, Optional<Path> key, Optional<URI> publicUrl, String host) {
        if (cert.isPresent()) {
            return Tls.fromPem(cert.get(), key.orElseThrow());
        }
        Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        try {
            hosts.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException ignored) {
            // the certificate simply does not name this host
        }
        publicUrl.ifPresent(url -> hosts.add(url.getHost()));
        if (!"0.0.0.0".equals(host)) {
            hosts.add(host);
        }
        log.warn("**************************************************************************");
        log.warn("* TLS_SELF_SIGNED: serving HTTPS with a certificate made up just now for  *");
        log.warn("* {}", String.join(", ", hosts));
        log.warn("* Browsers will warn that the connection is not private. Use it only for  *");
        log.warn("* a trial on your own network; in production set TLS_CERT and TLS_KEY.    *");
        log.warn("**************************************************************************");
        return Tls.selfSigned(hosts);
    }
}
