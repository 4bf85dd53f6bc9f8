package dev.myzoom.web;

import java.security.KeyStore;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The server's listening sockets: plain HTTP, or HTTPS with the key store from {@link Tls}. */
public final class Connectors {
    // Java listens with a backlog of 50 unless told otherwise. When more people than that connect
    // at once (a meeting's start), the kernel drops their connects and TCP retries them a second
    // later: joins crawled at about 300 a second in the capacity benchmark. (The kernel caps this at
    // net.core.somaxconn.)
    private static final int ACCEPT_QUEUE = 4096;

    private Connectors() {
    }

    public static Connector https(Server server, HttpConfiguration http, KeyStore keyStore, String host, int port) {
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // A self-signed certificate names only some hosts; let people reach it by any of them.
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore);
        ssl.setKeyStorePassword(new String(Tls.PASSWORD));
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
        return listening(connector, host, port);
    }

    public static Connector plain(Server server, HttpConfiguration http, String host, int port) {
        return listening(new ServerConnector(server, new HttpConnectionFactory(http)), host, port);
    }

    private static Connector listening(ServerConnector connector, String host, int port) {
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        return connector;
    }
}
