package io.wabatch.sender.send;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wabatch.common.contract.MessageTypes;
import io.wabatch.common.metrics.ErrorCodes;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.metrics.Meters;
import io.wabatch.common.metrics.Metric;
import io.wabatch.sender.control.ChannelControl;
import io.wabatch.sender.pace.AdaptivePace;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The sender's meters, registered through the {@link Metric} catalogue. Tags are bounded: channel,
 * message type, outcome, error code, retry reason; never recipients, message ids or campaign ids.
 * The gauge methods return what they registered, for the worker to remove on close.
 */
public final class SenderMetrics {

    private static final Set<String> DEFER_REASONS = Set.of("not_before", "retry", "pair_limit", "campaign_paused", "quiet_hours", "tier",
            "marketing_cap");
    /** The actions the sender takes on platform events, by field. */
    private static final Map<String, List<String>> PLATFORM_ACTIONS = Map.of(
            PlatformEvent.PHONE_QUALITY, List.of("pace", "warn", "limit"),
            PlatformEvent.CAPABILITY, List.of("limit"),
            PlatformEvent.ACCOUNT_UPDATE, List.of("pause", "resume", "route"));
    private static final List<String> STATES = List.of("running", "backing_off", "paused");

    private final MeterRegistry registry;
    private final Meters meters;

    public SenderMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.meters = new Meters(registry);
        // At 0 from the start, so the dashboard's panel has its series before the first event.
        PLATFORM_ACTIONS.forEach((field, actions) -> actions.forEach(action -> platformAction(field, action, 0)));
    }

    /** The sender took {@code action} on a platform event of {@code field}. */
    public void platformAction(String field, String action) {
        platformAction(field, action, 1);
    }

    private void platformAction(String field, String action, int count) {
        meters.counter(Metric.SENDER_PLATFORM_ACTIONS, "field", field, "action", action).increment(count);
    }

    /** Configured and current pace and the inbound rate per channel. */
    public List<Gauge> paceGauges(Collection<String> channels, AdaptivePace pace) {
        List<Gauge> gauges = new ArrayList<>();
        for (String channel : channels) {
            gauges.add(Metric.SENDER_PACE_CONFIGURED.gauge(registry, () -> pace.configured(channel), "channel", channel));
            gauges.add(Metric.SENDER_PACE_CURRENT.gauge(registry, () -> pace.current(channel), "channel", channel));
            gauges.add(Metric.SENDER_PACE_INBOUND.gauge(registry, () -> pace.inbound(channel), "channel", channel));
        }
        return gauges;
    }

    /**
     * Each channel's state as three 0/1 gauges tagged {@code state}: {@code paused} (the API refused
     * the channel, its WABA's call-rate limit was hit, or an operator paused it), {@code backing_off}
     * (running below its target pace after 130429 answers) and {@code running}; and the messages
     * waiting for a paused channel.
     */
    public List<Gauge> channelGauges(Collection<String> channels, ChannelControl control, AdaptivePace pace) {
        List<Gauge> gauges = new ArrayList<>();
        for (String channel : channels) {
            Supplier<String> state = () -> control.paused(channel) ? "paused"
                    : pace.current(channel) < pace.target(channel) - 1e-9 ? "backing_off" : "running";
            for (String value : STATES) {
                gauges.add(Metric.SENDER_CHANNEL_STATE.gauge(registry, () -> value.equals(state.get()) ? 1 : 0,
                        "channel", channel, "state", value));
            }
            gauges.add(Metric.SENDER_CHANNEL_WAITING.gauge(registry, () -> control.waiting(channel),
                    "channel", channel));
        }
        return gauges;
    }

    /** Jobs the send ledger remembers. */
    public List<Gauge> ledgerGauge(IntSupplier size) {
        return List.of(Metric.SENDER_LEDGER_JOBS.gauge(registry, size::getAsInt));
    }

    /** Records in flight in the send loop. */
    public List<Gauge> inFlightGauge(IntSupplier inFlight) {
        return List.of(Metric.SENDER_IN_FLIGHT.gauge(registry, inFlight::getAsInt));
    }

    /** A probe of a paused channel: did the API accept its credential? */
    public void probe(String channel, boolean accepted) {
        meters.counter(Metric.SENDER_CHANNEL_PROBES, "channel", channel, "result", accepted ? "accepted" : "refused")
                .increment();
    }

    void tokenWait(String channel, long nanos) {
        meters.timer(Metric.SENDER_TOKEN_WAIT, "channel", channel).record(nanos, TimeUnit.NANOSECONDS);
    }

    void pairWait(String channel) {
        meters.counter(Metric.SENDER_PAIR_WAITS, "channel", channel).increment();
    }

    void deferred(String channel, String reason) {
        meters.counter(Metric.SENDER_DEFERRED, "channel", channel,
                "reason", reason != null && DEFER_REASONS.contains(reason) ? reason : "other").increment();
    }

    /** {@code type}: the message's type as the job says, bounded here. */
    void outcome(String channel, String type, String outcome) {
        meters.counter(Metric.SENDER_MESSAGES, "channel", channel, "type", MessageTypes.bounded(type),
                "outcome", outcome).increment();
    }

    /** A call to the Marketing Messages API: {@code accepted}, {@code refused} or {@code fallback}. */
    void marketingMessages(String channel, String result) {
        meters.counter(Metric.SENDER_MARKETING_MESSAGES, "channel", channel, "result", result).increment();
    }

    void apiCall(String channel, long nanos) {
        meters.timer(Metric.SENDER_API_LATENCY, "channel", channel).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code code}: an API or wabatch code, bounded here. */
    void error(String channel, String code) {
        meters.counter(Metric.SENDER_ERRORS, "channel", channel, "code", ErrorCodes.bounded(code)).increment();
    }

    void retry(String channel, String reason) {
        meters.counter(Metric.SENDER_RETRIES, "channel", channel, "reason", reason).increment();
    }
}
