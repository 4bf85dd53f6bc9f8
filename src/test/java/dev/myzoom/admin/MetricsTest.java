package dev.myzoom.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /metrics} as Prometheus scrapes it: the named series exist and move with what users do. */
class MetricsTest {

    @Test
    void theScrapeHasTheSeriesAndTheyMoveAsPeopleJoinAndChat() throws Exception {
        try (TestServer server = TestServer.start("RATE_LIMIT", "1", "RATE_BURST", "3")) {
            String before = scrape(server);
            for (String series : List.of("myzoom_connections", "myzoom_rooms", "myzoom_participants",
                    "myzoom_database_seconds_count", "myzoom_rate_limited_total", "jvm_memory_used_bytes",
                    "jvm_threads_live_threads", "process_cpu_usage")) {
                assertTrue(before.contains(series), series + " is missing from\n" + before);
            }
            assertEquals(0, value(before, "myzoom_participants"));

            try (WsClient ana = server.connect(); WsClient bo = server.connect()) {
                ana.join("metrics", "Ana");
                bo.join("metrics", "Bo");
                ana.ok("chat", "text", "one");
                bo.next("chat");
                ana.call("chat", "text", "");                     // empty_message
                for (int i = 0; i < 5; i++) {
                    bo.call("ping");                               // beyond the burst of 3: rate_limited
                }
                String during = scrape(server);
                assertEquals(2, value(during, "myzoom_connections"));
                assertEquals(1, value(during, "myzoom_rooms"));
                assertEquals(2, value(during, "myzoom_participants"));
                assertTrue(value(during, "myzoom_messages_in_total{application=\"myzoom\",type=\"chat\"}") >= 2, during);
                assertTrue(value(during, "myzoom_messages_in_total{application=\"myzoom\",type=\"join\"}") >= 2, during);
                assertTrue(value(during, "myzoom_messages_out_total{application=\"myzoom\",type=\"chat\"}") >= 1, during);
                assertTrue(value(during, "myzoom_messages_out_total{application=\"myzoom\",type=\"joined\"}") >= 1, during);
                assertTrue(value(during, "myzoom_protocol_errors_total{application=\"myzoom\",code=\"empty_message\"}") >= 1, during);
                assertTrue(value(during, "myzoom_rate_limited_total") >= 1, during);
                // The chat line was stored before it was sent: the database did work.
                assertTrue(value(during, "myzoom_database_seconds_count{application=\"myzoom\",kind=\"write\"}")
                        > value(before, "myzoom_database_seconds_count{application=\"myzoom\",kind=\"write\"}"), during);
            }
        }
    }

    @Test
    void withATokenTheScrapeNeedsIt() throws Exception {
        try (TestServer server = TestServer.start("METRICS_TOKEN", "s3cret-token")) {
            assertEquals(401, server.get("/metrics").statusCode());
            assertEquals(401, scrapeWith(server, "Bearer wrong").statusCode());
            java.net.http.HttpResponse<String> ok = scrapeWith(server, "Bearer s3cret-token");
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().contains("myzoom_connections"));
        }
    }

    static java.net.http.HttpResponse<String> scrapeWith(TestServer server, String authorization) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/metrics")))
                        .header("Authorization", authorization).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    static String scrape(TestServer server) {
        var response = server.get("/metrics");
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /** The value of a series line, e.g. {@code myzoom_rooms{application="myzoom"}} or a bare name. */
    static double value(String scrape, String series) {
        String name = series.contains("{") ? Pattern.quote(series) : Pattern.quote(series) + "(?:\\{[^}]*\\})?";
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+-]+)$").matcher(scrape);
        if (!m.find()) {
            throw new AssertionError("no series " + series);
        }
        return Double.parseDouble(m.group(1));
    }
}
