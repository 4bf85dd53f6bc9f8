package dev.myzoom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.App;
import dev.myzoom.Config;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsTest {
    @TempDir
    Path dir;

    /** Makes a certificate and key with openssl, as an operator would (EC in PKCS#8, or RSA in PKCS#1). */
    Path[] opensslPair(String kind) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            String why = "openssl is missing at /usr/bin/openssl (apt-get install openssl)";
            dev.myzoom.support.Missing.skipOrFail(why, "the PEM tests");
        }
        Path key = dir.resolve(kind + "-key.pem");
        Path cert = dir.resolve(kind + "-cert.pem");
        List<String> keygen = kind.equals("rsa")
                ? List.of("openssl", "genrsa", "-traditional", "-out", key.toString(), "2048")
                : List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        run(keygen);
        run(List.of("openssl", "req", "-x509", "-key", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"));
        return new Path[] {cert, key};
    }

    static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, command + ": " + out);
    }

    static HttpClient trusting(Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), new SecureRandom());
        return HttpClient.newBuilder().sslContext(ssl).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static Certificate certificateIn(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    void pageApiAndWssWork(TestServer server, HttpClient http) throws Exception {
        String base = "https://localhost:" + server.port();
        HttpResponse<String> page = get(http, base + "/r/secure");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("chat-log"));
        assertEquals(SecurityHeaders.CSP, page.headers().firstValue("Content-Security-Policy").orElse(""));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""));
        assertTrue(page.headers().firstValue("Permissions-Policy").orElse("").contains("camera=(self)"));
        assertTrue(page.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="));
        HttpResponse<String> script = get(http, base + "/js/room/room-page.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Security-Policy").isPresent(), "static files get the headers too");
        assertEquals(200, get(http, base + "/api/rooms").statusCode());

        URI wss = URI.create("wss://localhost:" + server.port() + "/ws");
        try (WsClient a = WsClient.connect(wss, base, http); WsClient b = WsClient.connect(wss, base, http)) {
            a.join("secure", "A");
            b.join("secure", "B");
            a.ok("chat", "text", "over wss");
            assertEquals("over wss", b.next("chat").get("text").asText());
        }
    }

    @Test
    void pemCertificateServesPageApiAndWssAndPlainHttpRedirects() throws Exception {
        Path[] pair = opensslPair("ec");
        int redirect = TestServer.freePort();
        try (TestServer server = TestServer.start("TLS_CERT", pair[0].toString(), "TLS_KEY", pair[1].toString(),
                "HTTP_REDIRECT_PORT", String.valueOf(redirect))) {
            HttpClient http = trusting(certificateIn(pair[0]));
            pageApiAndWssWork(server, http);

            HttpResponse<String> moved = get(http, "http://localhost:" + redirect + "/r/secure?x=1");
            assertEquals(308, moved.statusCode());
            assertEquals("https://localhost:" + server.port() + "/r/secure?x=1", moved.headers().firstValue("Location").orElse(""));
        }
    }

    @Test
    void rsaKeysInPkcs1FormWorkToo() throws Exception {
        Path[] pair = opensslPair("rsa");
        try (TestServer server = TestServer.start("TLS_CERT", pair[0].toString(), "TLS_KEY", pair[1].toString())) {
            pageApiAndWssWork(server, trusting(certificateIn(pair[0])));
        }
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsRefusedAtStartUp() throws Exception {
        Path[] one = opensslPair("ec");
        Path otherKey = dir.resolve("other-key.pem");
        run(List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", otherKey.toString()));
        Tls.Unusable refused = assertThrows(Tls.Unusable.class, () -> App.start(Config.from(Map.of(
                "PORT", "0", "TLS_CERT", one[0].toString(), "TLS_KEY", otherKey.toString())::get)));
        assertTrue(refused.getMessage().contains("does not belong to the certificate"), refused.getMessage());
        assertThrows(Config.Invalid.class, () -> Config.from(Map.of("TLS_CERT", one[0].toString())::get));
        assertThrows(Config.Invalid.class, () -> Config.from(Map.of("TLS_CERT", "/nonexistent.pem", "TLS_KEY", "/x")::get));
        assertThrows(Config.Invalid.class, () -> Config.from(Map.of("HTTP_REDIRECT_PORT", "8081")::get));
    }

    @Test
    void selfSignedServesHttpsWithACertificateForLocalhost() throws Exception {
        try (TestServer server = TestServer.start("TLS_SELF_SIGNED", "true")) {
            // Fetch whatever certificate the server presents, then trust exactly that one.
            SSLContext probe = SSLContext.getInstance("TLS");
            probe.init(null, new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String a) {}
                public void checkServerTrusted(X509Certificate[] c, String a) {}
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            X509Certificate presented;
            try (SSLSocket socket = (SSLSocket) probe.getSocketFactory().createSocket("localhost", server.port())) {
                socket.startHandshake();
                presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            }
            assertTrue(presented.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("localhost")));
            pageApiAndWssWork(server, trusting(presented));
        }
    }
}
