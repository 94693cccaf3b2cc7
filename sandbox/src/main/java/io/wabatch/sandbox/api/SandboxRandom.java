package io.wabatch.sandbox.api;

import java.security.SecureRandom;
import java.util.Random;

/**
 * The sandbox's random draws, from one seed: one stream for faults and one for latency, so changing
 * the latency does not change which requests fail. With a configured seed, requests sent one after
 * another draw the same sequence on every run (and again after {@link #reseed()}); concurrent
 * requests draw in arrival order. Thread-safe ({@link Random} is).
 */
final class SandboxRandom {

    private final long seed;
    private final Random faults = new Random();
    private final Random latency = new Random();

    /** {@code seed} null picks a random one. */
    SandboxRandom(Long seed) {
        this.seed = seed != null ? seed : new SecureRandom().nextLong();
        reseed();
    }

    /** Restarts both streams from the seed. */
    void reseed() {
        faults.setSeed(seed);
        latency.setSeed(seed ^ 0x5DEECE66DL);
    }

    long seed() {
        return seed;
    }

    /** Uniform in [0, 1) for the fault lottery. */
    double faultDraw() {
        return faults.nextDouble();
    }

    /** Uniform in [min, max], both included. */
    long latencyMillis(long min, long max) {
        return min >= max ? min : min + (long) (latency.nextDouble() * (max - min + 1));
    }
}
