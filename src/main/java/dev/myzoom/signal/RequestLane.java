package dev.myzoom.signal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One connection's requests, carried out in the order they came. Most are quick and run at once
 * on the socket's thread. A join may wait: on Redis for the room's home, on a password check
 * for its Argon2 hash. So a join runs on a worker instead, and whatever the connection sends
 * after it waits behind it there, keeping the order (a chat line right after a join still
 * finds the room), while the socket's thread is free at once. Jetty hands a connection its
 * frames one at a time.
 */
final class RequestLane {
    private final Executor workers;
    private volatile CompletableFuture<Void> behind = CompletableFuture.completedFuture(null);

    RequestLane(Executor workers) {
        this.workers = workers;
    }

    /**
     * Carries {@code request} out now, or on a worker if it {@code mayWait} or something still
     * runs there; {@code request} handles its own failures.
     */
    void run(Runnable request, boolean mayWait) {
        // Besides the socket's thread, the bus's thread (a relayed page's frames, a takeover) and
        // timers queue here too: the queue's tail is taken and set under the lane's lock, the
        // request itself runs outside it.
        synchronized (this) {
            CompletableFuture<Void> last = behind;
            if (mayWait || !last.isDone()) {
                behind = last.thenRunAsync(request, workers);
                return;
            }
        }
        request.run();
    }
}
