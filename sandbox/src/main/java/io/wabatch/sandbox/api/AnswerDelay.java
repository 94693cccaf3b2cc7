package io.wabatch.sandbox.api;

import io.vertx.ext.web.RoutingContext;

/**
 * Picks each {@code /messages} and {@code /media} request's answer delay from the current
 * {@link Latency}; {@link Responses#json} then writes the answer on a Vert.x timer.
 */
final class AnswerDelay {

    private final SandboxRandom random;
    private volatile Latency latency;

    AnswerDelay(Latency latency, SandboxRandom random) {
        this.latency = latency;
        this.random = random;
    }

    Latency latency() {
        return latency;
    }

    void latency(Latency value) {
        latency = value;
    }

    /** Route handler: stores the delay in the context and continues. */
    void pick(RoutingContext ctx) {
        Latency current = latency;
        if (!current.isNone()) {
            ctx.put(Responses.DELAY_MS, random.latencyMillis(current.min().toMillis(), current.max().toMillis()));
        }
        ctx.next();
    }
}
