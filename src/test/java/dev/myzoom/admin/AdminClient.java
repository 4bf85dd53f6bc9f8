package dev.myzoom.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** An HTTP client for the admin API that keeps its session cookie, as a browser would. */
final class AdminClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String cookie;
    String setCookie;

    AdminClient(String base) {
        this.base = base;
    }

    HttpResponse<String> get(String path) throws Exception {
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

    HttpResponse<String> login(String password) throws Exception {
        HttpResponse<String> response = post("/api/admin/login", JSON.createObjectNode().put("password", password).toString());
        response.headers().firstValue("Set-Cookie").ifPresent(value -> {
            setCookie = value;
            cookie = value.substring(0, value.indexOf(';'));
        });
        return response;
    }

    JsonNode state() throws Exception {
        HttpResponse<String> response = get("/api/admin/state");
        if (response.statusCode() != 200) {
            throw new AssertionError("state: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** A state-changing call with the session's CSRF token, as the panel makes it. */
    HttpResponse<String> act(String action, String body) throws Exception {
        return post("/api/admin/" + action, body, "X-CSRF-Token", state().get("csrf").asText());
    }
}
