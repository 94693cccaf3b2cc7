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
 * @param inboundShare    pacing scenario: customers' messages a second to each number, as a share of its limit
 *                        (0: none; 0.25: 20 a second at 80 mps, 250 at 1,000)
 */
public record BenchOptions(double durationSeconds, int documents, int documentMb, int recipients, boolean profile,
                           double inboundShare) {

    /** The sizes: 60 s phases, 20 documents of 100 MB, 100,000 recipients, no inbound traffic. */
    public static BenchOptions defaults() {
        return new BenchOptions(60, 20, 100, 100_000, false, 0);
    }

    public BenchOptions {
        if (durationSeconds <= 0 || documents < 1 || documentMb < 1 || recipients < 1) {
            throw new IllegalArgumentException("duration, documents, document size and recipients must be positive");
        }
        if (!(inboundShare >= 0 && inboundShare < 0.9)) {
            throw new IllegalArgumentException("the inbound share must lie between 0 and 0.9, got " + inboundShare);
        }
    }

    /** Without inbound traffic. */
    public BenchOptions(double durationSeconds, int documents, int documentMb, int recipients, boolean profile) {
        this(durationSeconds, documents, documentMb, recipients, profile, 0);
    }

    Duration duration() {
        return Duration.ofMillis(Math.round(durationSeconds * 1000));
    }

    /** A warm-up for JIT and connections before a measured phase: half the duration, 2 to 15 s. */
    Duration warmUp() {
        return Duration.ofMillis(Math.round(Math.max(2, Math.min(15, durationSeconds / 2)) * 1000));
    }
}
