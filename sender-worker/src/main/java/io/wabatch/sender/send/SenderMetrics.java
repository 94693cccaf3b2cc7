package io.wabatch.sender.send;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wabatch.sender.pace.AdaptivePace;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * The sender's meters. Tags are bounded: channel, message type, outcome, error code, retry reason;
 * never recipients, message ids or campaign ids.
 */
public final class SenderMetrics {

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

    /** 1 while a channel is paused, else 0. */
    public void channelGauges(Collection<String> channels, io.wabatch.sender.pace.ChannelGate gate) {
        for (String channel : channels) {
            Gauge.builder("wabatch.sender.channel.paused", () -> gate.paused(channel) ? 1 : 0)
                    .description("1 while the channel is paused (API refused the channel, or an operator paused it).")
                    .tag("channel", channel).register(registry);
        }
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
