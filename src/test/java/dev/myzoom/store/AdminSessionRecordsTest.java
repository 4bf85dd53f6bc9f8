package dev.myzoom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myzoom.support.TestDatabase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The admin sessions' secret and revocations, on H2 and on PostgreSQL with the same migration. */
class AdminSessionRecordsTest {
    static Stream<String> databases() {
        return TestDatabase.kinds();
    }

    private final TestDatabase testDatabase = new TestDatabase();

    private Database open(String kind) {
        return testDatabase.open(kind);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theSecretIsMadeOnceAndKept(String kind) {
        Database db = open(kind);
        AdminSessionRecords records = new AdminSessionRecords(db.jdbi());
        String secret = records.secret(1);
        assertEquals(64, secret.length());
        assertEquals(secret, records.secret(2));
        assertEquals(secret, new AdminSessionRecords(db.jdbi()).secret(3));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void twoNodesMakingTheSecretAtOnceEndUpWithTheSameOne(String kind) throws Exception {
        Database db = open(kind);
        try (org.jdbi.v3.core.Handle first = db.jdbi().open()) {
            first.begin();
            first.execute("INSERT INTO admin_secret (id, secret, created_at) VALUES (1, 'the first node''s', 1)");
            // The second node does not see that row yet, so it inserts one too, and waits on the key.
            CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> new AdminSessionRecords(db.jdbi()).secret(2));
            Thread.sleep(300);
            first.commit();
            assertEquals("the first node's", second.get(10, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void revocationsAreKeptUntilTheyExpire(String kind) {
        AdminSessionRecords records = new AdminSessionRecords(open(kind).jdbi());
        records.revoke("a".repeat(64), 1_000);
        records.revoke("a".repeat(64), 1_000);
        records.revoke("b".repeat(64), 5_000);
        assertTrue(records.revoked("a".repeat(64)));
        assertFalse(records.revoked("c".repeat(64)));
        assertEquals(1, records.deleteExpired(2_000));
        assertFalse(records.revoked("a".repeat(64)));
        assertTrue(records.revoked("b".repeat(64)));
    }

    @AfterEach
    void close() {
        testDatabase.close();
    }
}
