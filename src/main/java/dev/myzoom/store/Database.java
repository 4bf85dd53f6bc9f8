package dev.myzoom.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The connection pool, the schema and JDBI. H2 (in PostgreSQL mode) in a file under ./data
 * unless DATABASE_URL names a PostgreSQL server. Flyway brings the schema up to date at start-up.
 */
public final class Database implements AutoCloseable {
    /** How long any one statement may run, so that a hung database cannot hold a thread. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(3);

    private final HikariDataSource pool;
    private final Jdbi jdbi;

    public Database(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("myzoom-db");
        config.setMaximumPoolSize(6);
        config.setConnectionTimeout(1500);
        config.setValidationTimeout(1000);
        if (url.startsWith("jdbc:postgresql:")) {
            // A server that stops answering mid-query must not hold a store thread for ever.
            config.addDataSourceProperty("connectTimeout", "2");
            config.addDataSourceProperty("socketTimeout", "10");
        }
        pool = new HikariDataSource(config);
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        jdbi = Jdbi.create(pool);
        jdbi.getConfig(org.jdbi.v3.core.statement.SqlStatements.class)
                .setQueryTimeout((int) STATEMENT_TIMEOUT.toSeconds());
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Whether a trivial query answers now. */
    public boolean reachable() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
