package io.wabatch.ops.bench;

import java.time.Duration;

/**
 * The knobs of a bench run.
 *
 * @param durationSeconds length of each measured phase (traffic offered or measured for this long)
 * @param documents       memory scenario: documents uploaded at once
 * @param documentMb      memory scenario: size of each document
 * @param recipients      dedupe scenario: recipients of the campaign
 * @param profile         ceiling scenario: record the workers with JFR and report their hot methods
 */
public record BenchOptions(double durationSeconds, int documents, int documentMb, int recipients, boolean profile) {

    /** The sizes: 60 s phases, 20 documents of 100 MB, 100,000 recipients. */
    public static BenchOptions defaults() {
        return new BenchOptions(60, 20, 100, 100_000, false);
    }

    public BenchOptions {
        if (durationSeconds <= 0 || documents < 1 || documentMb < 1 || recipients < 1) {
            throw new IllegalArgumentException("duration, documents, document size and recipients must be positive");
        }
    }

    Duration duration() {
        return Duration.ofMillis(Math.round(durationSeconds * 1000));
    }

    /** A warm-up for JIT and connections before a measured phase: half the duration, 2 to 15 s. */
    Duration warmUp() {
        return Duration.ofMillis(Math.round(Math.max(2, Math.min(15, durationSeconds / 2)) * 1000));
    }
}
