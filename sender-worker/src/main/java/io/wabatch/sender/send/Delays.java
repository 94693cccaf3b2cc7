package io.wabatch.sender.send;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Short in-memory waits of the send stage, on Vert.x timers (a wait too long for memory goes to the
 * deferred topics instead).
 *
 * <p>Threading: call on the sender's event loop; the future completes on the timer's context, the
 * caller's. Never fails.
 */
final class Delays {

    private final Vertx vertx;

    Delays(Vertx vertx) {
        this.vertx = vertx;
    }

    /** {@code next}, after {@code millis} (at least 1). */
    Future<Step> then(long millis, Step next) {
        Promise<Step> promise = Promise.promise();
        vertx.setTimer(Math.max(1, millis), t -> promise.complete(next));
        return promise.future();
    }
}
