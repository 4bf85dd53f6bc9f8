package dev.myzoom.support;

import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link TestServer} for all the tests of a class, started before the first and closed after
 * the last: {@code @RegisterExtension static final ServerExtension server = new ServerExtension("RATE_LIMIT", "5");}
 */
public final class ServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final String[] settings;
    private TestServer server;

    /** @param settings pairs of setting names and values, as {@link TestServer#start} takes them */
    public ServerExtension(String... settings) {
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestServer.start(settings);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    public TestServer server() {
        return server;
    }

    public WsClient connect() {
        return server.connect();
    }

    public URI wsUri() {
        return server.wsUri();
    }

    public String url(String path) {
        return server.url(path);
    }

    public int port() {
        return server.port();
    }

    public HttpResponse<String> get(String path) {
        return server.get(path);
    }
}
