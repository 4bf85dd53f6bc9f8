package dev.myzoom.support;

import dev.myzoom.store.Database;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A database for one store test: a fresh in-memory H2, or a real PostgreSQL (see
 * {@link Postgres}), both migrated with the same Flyway scripts. Close it after the test.
 */
public final class TestDatabase implements AutoCloseable {
    private Database database;
    private Postgres postgres;

    /** The kinds a parameterised store test runs on. */
    public static Stream<String> kinds() {
        return Stream.of("h2", "postgresql");
    }

    /** Opens a database of {@code kind}, "h2" or "postgresql". */
    public Database open(String kind) {
        if (kind.equals("h2")) {
            database = new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
        } else {
            postgres = Postgres.any();
            database = new Database(postgres.url(), postgres.user(), "");
        }
        return database;
    }

    /** The PostgreSQL server, once {@link #open} made one (for outage tests), else null. */
    public Postgres postgres() {
        return postgres;
    }

    @Override
    public void close() {
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
