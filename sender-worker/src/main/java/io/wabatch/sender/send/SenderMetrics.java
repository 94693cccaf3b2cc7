package io.wabatch.sender.send;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wabatch.sender.pace.AdaptivePace;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sender's meters. Tags are bounded: channel, message type, outcome, error code, retry reason;
 * never recipients, message ids or campaign ids.
 */
public final class SenderMetrics {

    private static final java.util.Set<String> DEFER_REASONS = java.util.Set.of("not_before", "retry", "pair_limit");

    private final MeterRegistry registry;

    public SenderMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Configured and current pace per channel. */
    public void paceGauges(Collection<String> channels, AdaptivePace pace) {
        for (String channel : channels) {
            Gauge.builder("wabatch.sender.pace.configured", () -> pace.configured(channel))
                    .description("Configured pace (mps × headroom) in messages per second.")
                    .tag("channel", channel).register(registry);
            Gauge.builder("wabatch.sender.pace.current", () -> pace.current(channel))
                    .description("Pace after adapting to 130429 answers, in messages per second.")
                    .tag("channel", channel).register(registry);
        }
    }

    /**
     * Each channel's state as three 0/1 gauges tagged {@code state}: {@code paused} (the API refused
     * the channel, its WABA's call-rate limit was hit, or an operator paused it), {@code backing_off}
     * (running below its configured pace after 130429 answers) and {@code running}.
     */
    public void channelGauges(Collection<String> channels, io.wabatch.sender.control.ChannelControl control,
                              AdaptivePace pace) {
        for (String channel : channels) {
            java.util.function.Supplier<String> state = () -> control.paused(channel) ? "paused"
                    : pace.current(channel) < pace.configured(channel) - 1e-9 ? "backing_off" : "running";
            for (String value : List.of("running", "backing_off", "paused")) {
                Gauge.builder("wabatch.sender.channel.state", () -> value.equals(state.get()) ? 1 : 0)
                        .description("1 for the channel's current state (running, backing_off, paused), else 0.")
                        .tags("channel", channel, "state", value).register(registry);
            }
            Gauge.builder("wabatch.sender.channel.waiting", () -> control.waiting(channel))
                    .description("Messages waiting for a paused channel to resume.")
                    .tag("channel", channel).register(registry);
        }
    }

    /** Jobs the send ledger remembers. */
    public void ledgerGauge(java.util.function.IntSupplier size) {
        Gauge.builder("wabatch.sender.ledger.jobs", size::getAsInt)
                .description("Jobs the send ledger remembers (those sent within the ledger horizon).")
                .register(registry);
    }

    /** Records in flight in the send loop. */
    public void inFlightGauge(java.util.function.IntSupplier inFlight) {
        Gauge.builder("wabatch.sender.in.flight", inFlight::getAsInt)
                .description("Ready jobs started and not yet done (waiting to be due, for the pace, or for the API).")
                .register(registry);
    }

    /** A probe of a paused channel: did the API accept its credential? */
    public void probe(String channel, boolean accepted) {
        Counter.builder("wabatch.sender.channel.probes")
                .description("Probes of channels paused for an API error, by result (accepted, refused).")
                .tags("channel", channel, "result", accepted ? "accepted" : "refused").register(registry).increment();
    }

    void tokenWait(String channel, long nanos) {
        Timer.builder("wabatch.sender.token.wait").description("Time a message waited for its channel's pace.")
                .tags("channel", channel).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    void pairWait(String channel) {
        Counter.builder("wabatch.sender.pair.waits")
                .description("Messages that waited for their recipient's pair window (1 per 6 s) before sending.")
                .tags("channel", channel).register(registry).increment();
    }

    void deferred(String channel, String reason) {
        Counter.builder("wabatch.sender.deferred")
                .description("Jobs moved to the deferred topics, by reason (not_before, retry, pair_limit).")
                .tags("channel", channel, "reason", reason != null && DEFER_REASONS.contains(reason) ? reason : "other")
                .register(registry).increment();
    }

    void outcome(String channel, String type, String outcome) {
        Counter.builder("wabatch.sender.messages").description("Messages by channel, type and final outcome.")
                .tags("channel", channel, "type", type, "outcome", outcome).register(registry).increment();
    }

    void apiCall(String channel, long nanos) {
        Timer.builder("wabatch.sender.api.latency").description("Time of one /messages call.")
                .publishPercentileHistogram().tags("channel", channel).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void error(String channel, String code) {
        Counter.builder("wabatch.sender.errors").description("API errors by channel and error code.")
                .tags("channel", channel, "code", code).register(registry).increment();
    }

    void retry(String channel, String reason) {
        Counter.builder("wabatch.sender.retries").description("Retries by channel and reason.")
                .tags("channel", channel, "reason", reason).register(registry).increment();
    }
}
