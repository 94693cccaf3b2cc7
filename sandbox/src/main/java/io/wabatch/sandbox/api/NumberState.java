package io.wabatch.sandbox.api;

import io.wabatch.sandbox.api.stats.NumberStats;
import io.wabatch.sandbox.api.stats.ThroughputLimiter;

/** One served number with its live pace and its record; both parts are thread-safe. */
record NumberState(SandboxNumber number, ThroughputLimiter limiter, NumberStats stats) {

    NumberState(SandboxNumber number) {
        this(number, new ThroughputLimiter(number.mps()), new NumberStats());
    }

    String id() {
        return number.id();
    }
}
