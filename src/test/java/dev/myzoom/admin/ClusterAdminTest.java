package dev.myzoom.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myzoom.support.Redis;
import dev.myzoom.support.TestServer;
import dev.myzoom.support.WsClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The panel on one node sees and manages a participant connected to, and a room held on, another. */
class ClusterAdminTest {

    @Test
    void thePanelOnNodeOneKicksSomeoneOnNodeTwo() throws Exception {
        String database = "jdbc:h2:mem:admin-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        try (Redis redis = Redis.start();
                TestServer one = AdminTest.withAdmin("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET, "DATABASE_URL", database);
                TestServer two = AdminTest.withAdmin("REDIS_URL", redis.url(), "CLUSTER_SECRET", Redis.CLUSTER_SECRET, "DATABASE_URL", database);
                WsClient bo = two.connect(); WsClient cy = two.connect(); WsClient ana = one.connect()) {
            // The room lives on node two; Ana reaches it from node one.
            bo.join("far", "Bo");
            cy.join("far", "Cy");
            ana.join("far", "Ana");
            AdminClient admin = new AdminClient(one.url(""));
            assertEquals(204, admin.login(AdminTest.PASSWORD).statusCode());

            JsonNode state = awaitState(admin, s -> s.at("/totals/nodes").asInt() == 2 && s.at("/totals/participants").asInt() == 3);
            JsonNode room = state.get("rooms").get(0);
            String nodeTwo = room.get("home").asText();
            assertTrue(!nodeTwo.equals(state.get("node").asText()), "the room should live on node two: " + room);
            JsonNode anaRow = room.get("participants").get(2);
            assertEquals("Ana", anaRow.get("nick").asText());
            assertEquals(state.get("node").asText(), anaRow.get("node").asText(), "Ana is connected to node one");
            assertEquals(nodeTwo, room.get("participants").get(0).get("node").asText());

            assertEquals(202, admin.act("kick", "{\"pid\":\"" + bo.pid + "\"}").statusCode());
            assertEquals("admin", bo.next("removed").get("by").asText());
            assertEquals("Bo", ana.next(m -> m.path("type").asText().equals("left")).get("nick").asText());
            assertEquals(202, admin.act("notice", "{\"room\":\"far\",\"text\":\"Hello from the admin\"}").statusCode());
            assertEquals("Hello from the admin", ana.next("notice").get("text").asText());
            assertEquals("Hello from the admin", cy.next("notice").get("text").asText());

            // Behind a load balancer the panel's next request may reach the other node: the session holds there too.
            AdminClient sameAdminOnTwo = new AdminClient(two.url(""));
            sameAdminOnTwo.cookie = admin.cookie;
            assertEquals("far", sameAdminOnTwo.state().get("rooms").get(0).get("room").asText());
            assertEquals(202, sameAdminOnTwo.act("notice", "{\"room\":\"far\",\"text\":\"Via node two\"}").statusCode());
            assertEquals("Via node two", ana.next("notice").get("text").asText());

            String metrics = one.get("/metrics").body();
            assertTrue(MetricsTest.value(metrics, "myzoom_bus_publish_seconds_count") > 0, "no bus latency in\n" + metrics);
        }
    }

    private static JsonNode awaitState(AdminClient admin, java.util.function.Predicate<JsonNode> wanted) throws Exception {
        JsonNode state = null;
        for (int i = 0; i < 50; i++) {
            state = admin.state();
            if (wanted.test(state)) {
                return state;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the panel never showed what was expected; last state: " + state);
    }
}
