package dev.myzoom.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** An HTTP client for the admin API that keeps its session cookie, as a browser would. */
public final class AdminClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String cookie;
    String setCookie;

    public AdminClient(String base) {
        this.base = base;
    }

    public HttpResponse<String> get(String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> login(String password) throws Exception {
        HttpResponse<String> response = post("/api/admin/login", JSON.createObjectNode().put("password", password).toString());
        response.headers().firstValue("Set-Cookie").ifPresent(value -> {
            setCookie = value;
            cookie = value.substring(0, value.indexOf(';'));
        });
        return response;
    }

    /**
     * Logs in over a plain socket bound to {@code from}, a loopback address other than 127.0.0.1
     * (all of 127/8 is this machine), so that the server sees a second client address. Returns
     * the status line's code and sets this client's cookie from the answer.
     */
    int loginFrom(String from, int port, String password) throws Exception {
        String body = JSON.createObjectNode().put("password", password).toString();
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getByName("127.0.0.1"), port,
                java.net.InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(10_000);
            String head = "POST /api/admin/login HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            for (String line : answer.split("\r\n")) {
                if (line.regionMatches(true, 0, "Set-Cookie: ", 0, 12)) {
                    setCookie = line.substring(12);
                    cookie = setCookie.substring(0, setCookie.indexOf(';'));
                }
            }
            return Integer.parseInt(answer.split(" ", 3)[1]);
        }
    }

    JsonNode state() throws Exception {
        HttpResponse<String> response = get("/api/admin/state");
        if (response.statusCode() != 200) {
            throw new AssertionError("state: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** A state-changing call with the session's CSRF token, as the panel makes it. */
    public HttpResponse<String> act(String action, String body) throws Exception {
        return post("/api/admin/" + action, body, "X-CSRF-Token", state().get("csrf").asText());
    }
}
