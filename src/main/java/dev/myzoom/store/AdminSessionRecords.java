package dev.myzoom.store;

import dev.myzoom.protocol.RandomIds;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * What admin sessions keep in the database, so that every node sharing it agrees and a restart
 * changes nothing: the random signing secret (when ADMIN_SESSION_SECRET is not set) and the
 * sessions that were logged out, by the hash of their cookie, until they would have expired.
 */
public final class AdminSessionRecords {
    private static final int SECRET_ROW = 1;
    private final Jdbi jdbi;

    public AdminSessionRecords(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The cluster's signing secret, made now if no node has made one yet. Two nodes starting at
     * once may both find none: both insert, the primary key lets one win, and the other reads the
     * winner's secret.
     */
    public String secret(long now) {
        return jdbi.withHandle(h -> storedSecret(h).orElseGet(() -> {
            String fresh = RandomIds.hex(32);
            try {
                h.createUpdate("INSERT INTO admin_secret (id, secret, created_at) VALUES (:id, :secret, :now)")
                        .bind("id", SECRET_ROW).bind("secret", fresh).bind("now", now).execute();
                return fresh;
            } catch (UnableToExecuteStatementException e) {
                if (!duplicateKey(e)) {
                    throw e;
                }
                return storedSecret(h).orElseThrow(() -> e);
            }
        }));
    }

    /** Records a logged-out session until it expires; logging out twice is harmless. */
    public void revoke(String sessionHash, long expiresAt) {
        jdbi.useHandle(h -> {
            try {
                h.createUpdate("INSERT INTO admin_revoked_sessions (session_hash, expires_at) VALUES (:hash, :expires)")
                        .bind("hash", sessionHash).bind("expires", expiresAt).execute();
            } catch (UnableToExecuteStatementException e) {
                if (!duplicateKey(e)) {
                    throw e;
                }
            }
        });
    }

    public boolean revoked(String sessionHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM admin_revoked_sessions WHERE session_hash = :hash")
                .bind("hash", sessionHash).mapTo(Integer.class).one()) > 0;
    }

    /** Forgets revocations of sessions that have expired anyway; returns how many. */
    public int deleteExpired(long now) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM admin_revoked_sessions WHERE expires_at < :now")
                .bind("now", now).execute());
    }

    private static Optional<String> storedSecret(Handle h) {
        return h.createQuery("SELECT secret FROM admin_secret WHERE id = :id")
                .bind("id", SECRET_ROW).mapTo(String.class).findOne();
    }

    private static boolean duplicateKey(UnableToExecuteStatementException e) {
        return e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState());
    }

}
