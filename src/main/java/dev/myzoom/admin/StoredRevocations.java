package dev.myzoom.admin;

import dev.myzoom.store.AdminSessionRecords;
import dev.myzoom.store.StoreQueue;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Revocations in the database, through the store's bounded queue like all database work. Every
 * session lookup reads it (the panel polls every two seconds, so that is cheap), which is what
 * makes a logout on one node hold on the others at once.
 */
public final class StoredRevocations implements Revocations {
    private static final Duration WAIT = Duration.ofSeconds(3);
    private final AdminSessionRecords records;
    private final StoreQueue store;

    public StoredRevocations(AdminSessionRecords records, StoreQueue store) {
        this.records = records;
        this.store = store;
    }

    @Override
    public void revoke(String sessionHash, long expiresAt) {
        await(store.write(() -> {
            records.revoke(sessionHash, expiresAt);
            return null;
        }));
    }

    @Override
    public boolean revoked(String sessionHash) {
        return await(store.read(() -> records.revoked(sessionHash)));
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> result) {
        try {
            return result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new Unavailable(e);
        }
    }
}
