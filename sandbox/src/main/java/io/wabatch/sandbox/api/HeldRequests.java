package io.wabatch.sandbox.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests the {@code timeout} fault never answers. Each is released when the client gives up (the
 * response's close handler) or, at the latest, after the maximum hold, when the sandbox drops it
 * like {@link #drop(RoutingContext)}. So held requests never accumulate beyond one max hold's worth.
 */
final class HeldRequests {

    private static final Logger LOG = LoggerFactory.getLogger(HeldRequests.class);

    private final AtomicInteger held = new AtomicInteger();

    /** Holds {@code ctx} without answering, for at most {@code maxHold}. */
    void hold(RoutingContext ctx, Duration maxHold) {
        AtomicBoolean released = new AtomicBoolean();
        held.incrementAndGet();
        long timer = ctx.vertx().setTimer(Math.max(1, maxHold.toMillis()), id -> {
            LOG.debug("Dropping a request held for {} ms", maxHold.toMillis());
            drop(ctx);
            release(released);
        });
        ctx.response().closeHandler(v -> {
            ctx.vertx().cancelTimer(timer);
            release(released);
        });
    }

    /** How many requests are held now. */
    int count() {
        return held.get();
    }

    /**
     * Ends a request without an answer: closes the connection (HTTP/1.1) or resets the stream (HTTP/2,
     * so other requests multiplexed on the connection are unaffected).
     */
    static void drop(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (ctx.request().version() == HttpVersion.HTTP_2) {
            response.reset(2);
        } else {
            ctx.request().connection().close();
        }
    }

    private void release(AtomicBoolean released) {
        if (released.compareAndSet(false, true)) {
            held.decrementAndGet();
        }
    }
}
