package io.wabatch.sender.config;

import io.wabatch.common.config.LoopWorkerConfig;
import io.wabatch.common.config.ServicePorts;
import io.wabatch.common.config.TopicKey;
import io.wabatch.common.contract.InDoubtPolicy;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The sender worker's configuration: a loop worker's keys, its topics, and pacing, retries, policy and the ledger. */
public final class SenderWorkerConfig extends LoopWorkerConfig {

    public static final String SEND_MAX_ATTEMPTS = "send.max.attempts";
    public static final String SEND_RETRY_INITIAL_MS = "send.retry.initial.ms";
    public static final String SEND_RETRY_MAX_MS = "send.retry.max.ms";
    public static final String MAX_POLL_RECORDS = "max.poll.records";
    public static final String PAIR_WINDOW_MS = "pair.window.ms";
    public static final String PAIR_BURST = "pair.burst";
    public static final String PAIR_BACKOFF_BASE_MS = "pair.backoff.base.ms";
    public static final String PACE_DECREASE = "pace.decrease";
    public static final String PACE_HOLDOFF_MS = "pace.holdoff.ms";
    public static final String PACE_RECOVERY_INTERVAL_MS = "pace.recovery.interval.ms";
    public static final String PACE_RECOVERY_STEP = "pace.recovery.step";
    public static final String PACE_FLOOR = "pace.floor";
    public static final String PACE_INBOUND_WINDOW_MS = "pace.inbound.window.ms";
    public static final String IN_DOUBT_POLICY = "send.in.doubt";
    public static final String WABA_PAUSE_MS = "channel.waba.pause.ms";
    public static final String LEDGER_ENABLED = "ledger.enabled";
    public static final String LEDGER_HORIZON_MS = "ledger.horizon.ms";
    public static final String PROBE_INTERVAL_MS = "channel.probe.interval.ms";
    public static final String MARKETING_MESSAGES_RETRY_MS = "send.marketing.messages.retry.ms";
    public static final String POLICY_OPTOUTS = "policy.optouts.enforce";
    public static final String POLICY_WINDOW = "policy.window.enforce";
    public static final String POLICY_WINDOW_MS = "policy.window.ms";
    public static final String POLICY_TIER_WINDOW_MS = "policy.tier.window.ms";
    public static final String POLICY_MARKETING_CAP_WINDOW_MS = "policy.marketing.cap.window.ms";
    public static final String POLICY_CLAIM_TIMEOUT_MS = "policy.claim.timeout.ms";

    /** The definition, also rendered into the configuration reference. */
    public static final ConfigDef DEFINITION = withTopics(loopWorker("wabatch-sender", ServicePorts.SENDER, 512, "A record is in flight from its start to its result's acknowledgement: waiting for its pace token, its ledger attempt's acknowledgement, the API call, its result's write, about 350 ms at 300 ms API latency. Size it to the sum of the instance's channel paces times that (Little's law): 512 holds about 1,500 msg/s; the ceiling benchmark's 20 channels at 9,000 msg/s took 2,048. Larger is not free: on shutdown or revocation the records in flight are drained, and those still waiting for a slow channel's tokens take window / pace seconds."),
            TopicKey.READY, TopicKey.DEFERRED, TopicKey.RESULTS, TopicKey.DLQ, TopicKey.JOBS, TopicKey.CONTROL,
            TopicKey.LEDGER, TopicKey.INBOUND, TopicKey.OPTOUTS, TopicKey.IDENTITIES, TopicKey.PORTFOLIO_CLAIMS, TopicKey.PLATFORM_EVENTS)
            .define(SEND_MAX_ATTEMPTS, Type.INT, 5, Range.between(1, 100), Importance.MEDIUM,
                    "API calls per message before a retryable error becomes final (failed + DLQ). Rate limits "
                            + "(130429, 131056, HTTP 429) do not count: the API refused the message unsent, so it is "
                            + "retried until sent or past its not_after.")
            .define(SEND_RETRY_INITIAL_MS, Type.LONG, 500L, Range.atLeast(1), Importance.LOW,
                    "First retry backoff in milliseconds; doubles per attempt, each wait drawn between half and all of it.")
            .define(SEND_RETRY_MAX_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW,
                    "Cap of the retry backoff in milliseconds.")
            .define(MAX_POLL_RECORDS, Type.INT, 500, Range.between(1, 10_000), Importance.LOW,
                    "Ready jobs fetched per poll.")
            .define(PAIR_WINDOW_MS, Type.LONG, 6_000L, Range.atLeast(1), Importance.MEDIUM,
                    "WhatsApp's pair rate limit: one message to the same recipient per this many milliseconds "
                            + "(6 s); a message that must wait holds only its own slot.")
            .define(PAIR_BURST, Type.INT, 1, Range.between(1, 45), Importance.LOW,
                    "Messages to one recipient that may go back to back before the pair window applies.")
            .define(PAIR_BACKOFF_BASE_MS, Type.LONG, 1_000L, Range.atLeast(1), Importance.LOW,
                    "After the n-th 131056 (pair rate limit hit) a message waits base × 4^(n-1) milliseconds "
                            + "(1, 4, 16, 64 s); only that recipient waits.")
            .define(PACE_DECREASE, Type.DOUBLE, 0.7, Range.between(0.05, 0.99), Importance.LOW,
                    "Factor applied to a channel's pace when the API answers 130429 (throughput limit hit).")
            .define(PACE_HOLDOFF_MS, Type.LONG, 1_000L, Range.atLeast(0), Importance.LOW,
                    "Least time between two pace decreases of a channel, in milliseconds: the requests already "
                            + "in flight answer 130429 too.")
            .define(PACE_RECOVERY_INTERVAL_MS, Type.LONG, 1_000L, Range.atLeast(10), Importance.LOW,
                    "How often a reduced pace climbs back towards the configured one, in milliseconds.")
            .define(PACE_RECOVERY_STEP, Type.DOUBLE, 0.05, Range.between(0.001, 1.0), Importance.LOW,
                    "Share of the configured pace added at each recovery step.")
            .define(PACE_FLOOR, Type.DOUBLE, 0.1, Range.between(0.01, 1.0), Importance.LOW,
                    "Share of the configured pace below which decreases never go.")
            .define(PACE_INBOUND_WINDOW_MS, Type.LONG, 10_000L, Range.between(100, 3_600_000), Importance.MEDIUM,
                    "How far back the messages customers wrote to a channel's number are counted, in milliseconds. "
                            + "WhatsApp counts a number's inbound and outbound messages against one throughput "
                            + "limit, so a channel's pace is its mps × headroom less its inbound rate over this "
                            + "window (from wa.inbound, rounded up to whole messages a second); without inbound "
                            + "traffic it is mps × headroom (0.98 of the limit by default). Longer is steadier, "
                            + "shorter follows a change sooner; a 130429 still cuts the pace (pace.decrease). A channel "
                            + "is matched by its registry phone_number_id: give 360dialog channels theirs.")
            .define(WABA_PAUSE_MS, Type.LONG, 60_000L, Range.atLeast(1), Importance.LOW,
                    "How long every channel of a WABA pauses when the API answers 4 or 80007 (app or WABA call-rate "
                            + "limit), in milliseconds. The pause is shared with every sender through wa.control.")
            .define(PROBE_INTERVAL_MS, Type.LONG, 300_000L, Range.atLeast(0), Importance.LOW,
                    "How often a channel the sender paused for an API error (401, 190, 368, 131031, 131042, 131048) "
                            + "is probed with an authenticated GET, in milliseconds; when the API accepts the "
                            + "credential again the channel resumes. 0 disables the probe (only 'wabatch channel "
                            + "resume' resumes). Channels an operator paused are never probed.")
            .define(MARKETING_MESSAGES_RETRY_MS, Type.LONG, 3_600_000L, Range.atLeast(1), Importance.LOW,
                    "A Meta number with marketing_messages in the registry sends marketing templates by the Marketing "
                            + "Messages API; when the API refuses because the business has not accepted its terms, "
                            + "that message and the number's marketing templates go by /messages for this many "
                            + "milliseconds (1 h), then the Marketing Messages API is tried again.")
            .define(POLICY_OPTOUTS, Type.BOOLEAN, true, Importance.HIGH,
                    "Refuse (failed, opted_out) a marketing campaign's message to a customer in wa.optouts: they replied "
                            + "an opt-out keyword or produced 131050. Campaigns of another category (wabatch campaign "
                            + "publish --category utility) are not affected.")
            .define(POLICY_WINDOW, Type.BOOLEAN, true, Importance.HIGH,
                    "Refuse (failed, outside_window) a non-template message to a customer who has not written within "
                            + "policy.window.ms, as known from wa.inbound (the webhook receiver writes it), instead of "
                            + "letting the API refuse it with 131047. Turn off only when no webhook receiver feeds "
                            + "wa.inbound, or to send non-template messages to test numbers (the demo does).")
            .define(POLICY_WINDOW_MS, Type.LONG, 86_400_000L, Range.atLeast(1), Importance.LOW,
                    "WhatsApp's customer-service window after a customer's message, in milliseconds (24 h).")
            .define(POLICY_TIER_WINDOW_MS, Type.LONG, 86_400_000L, Range.atLeast(1), Importance.LOW,
                    "The rolling window of the messaging tiers, in milliseconds (24 h): the numbers of a business "
                            + "portfolio with a 'tier' in the registry send business-initiated messages to at most that "
                            + "many unique users per window together, across senders; messages to more wait.")
            .define(POLICY_MARKETING_CAP_WINDOW_MS, Type.LONG, 86_400_000L, Range.atLeast(1), Importance.LOW,
                    "The rolling window of the per-user marketing cap, in milliseconds (24 h): a portfolio with a "
                            + "'marketing_cap' in the registry sends each user at most that many marketing templates per "
                            + "window, across campaigns and senders; the rest wait or are skipped (campaign publish "
                            + "--over-cap). At most the portfolio claims topic's retention (7 days by default).")
            .define(POLICY_CLAIM_TIMEOUT_MS, Type.LONG, 10_000L, Range.atLeast(1), Importance.LOW,
                    "How long a message waits for the verdict of its claim on its portfolio's tier or marketing cap "
                            + "(written to and read back from the portfolio claims topic), in milliseconds; without "
                            + "one it asks again 2 s later.")
            .define(LEDGER_ENABLED, Type.BOOLEAN, true, Importance.HIGH,
                    "Keep the send ledger: an attempt record, acknowledged, before each API call and the outcome "
                            + "with the result, so that jobs redelivered after a crash or rebalance are not sent "
                            + "twice. Turn off only to measure its cost.")
            .define(LEDGER_HORIZON_MS, Type.LONG, 600_000L, Range.atLeast(1_000), Importance.LOW,
                    "How far back the ledger is read when a partition is assigned, in milliseconds: a redelivered "
                            + "job whose earlier attempt is older is not recognised. Redelivery starts at the "
                            + "committed offset, which trails the work by seconds; memory grows with the jobs sent "
                            + "in this time.")
            .define(IN_DOUBT_POLICY, Type.STRING, InDoubtPolicy.PARK.wireName(),
                    ConfigDef.ValidString.in(InDoubtPolicy.PARK.wireName(), InDoubtPolicy.RESEND.wireName()),
                    Importance.HIGH,
                    "What to do when a call's answer is lost (timeout, reset, 5xx) or the send ledger shows a call "
                            + "in flight when its sender stopped, so the message may have been sent: 'park' gives it "
                            + "a parked result and a dead letter for an operator (never a duplicate); 'resend' "
                            + "retries it like other transient errors and accepts that the recipient may get it "
                            + "twice. This is the default: a campaign job's in_doubt field ('park' or 'resend') "
                            + "overrides it for that job's messages.");

    public SenderWorkerConfig(Map<String, ?> values) {
        super(DEFINITION, values);
    }

    public int maxAttempts() {
        return getInt(SEND_MAX_ATTEMPTS);
    }

    public Duration retryInitial() {
        return Duration.ofMillis(getLong(SEND_RETRY_INITIAL_MS));
    }

    public Duration retryMax() {
        return Duration.ofMillis(getLong(SEND_RETRY_MAX_MS));
    }

    public Duration pairWindow() {
        return Duration.ofMillis(getLong(PAIR_WINDOW_MS));
    }

    public int pairBurst() {
        return getInt(PAIR_BURST);
    }

    public Duration pairBackoffBase() {
        return Duration.ofMillis(getLong(PAIR_BACKOFF_BASE_MS));
    }

    public io.wabatch.sender.pace.AdaptivePace.Settings paceSettings() {
        return new io.wabatch.sender.pace.AdaptivePace.Settings(getDouble(PACE_DECREASE),
                Duration.ofMillis(getLong(PACE_HOLDOFF_MS)), Duration.ofMillis(getLong(PACE_RECOVERY_INTERVAL_MS)),
                getDouble(PACE_RECOVERY_STEP), getDouble(PACE_FLOOR));
    }

    /** How far back a channel's inbound messages are counted to take their rate off its pace. */
    public Duration inboundWindow() {
        return Duration.ofMillis(getLong(PACE_INBOUND_WINDOW_MS));
    }

    /** How long a number whose business has not accepted the Marketing Messages API terms uses /messages. */
    public Duration marketingMessagesRetry() {
        return Duration.ofMillis(getLong(MARKETING_MESSAGES_RETRY_MS));
    }

    /** What happens to in-doubt messages whose campaign job has no {@code in_doubt} of its own. */
    public InDoubtPolicy inDoubtDefault() {
        return InDoubtPolicy.fromWire(getString(IN_DOUBT_POLICY));
    }

    /** The WABA pause and the probe interval. */
    public io.wabatch.sender.control.ChannelControl.Settings channelSettings() {
        return new io.wabatch.sender.control.ChannelControl.Settings(Duration.ofMillis(getLong(WABA_PAUSE_MS)),
                Duration.ofMillis(getLong(PROBE_INTERVAL_MS)));
    }

    public boolean ledgerEnabled() {
        return getBoolean(LEDGER_ENABLED);
    }

    public Duration ledgerHorizon() {
        return Duration.ofMillis(getLong(LEDGER_HORIZON_MS));
    }

    public int maxPollRecords() {
        return getInt(MAX_POLL_RECORDS);
    }

    public io.wabatch.sender.policy.MessagingPolicy.Settings policySettings() {
        return new io.wabatch.sender.policy.MessagingPolicy.Settings(getBoolean(POLICY_OPTOUTS), getBoolean(POLICY_WINDOW),
                Duration.ofMillis(getLong(POLICY_WINDOW_MS)));
    }

    public Duration tierWindow() {
        return Duration.ofMillis(getLong(POLICY_TIER_WINDOW_MS));
    }

    public Duration marketingCapWindow() {
        return Duration.ofMillis(getLong(POLICY_MARKETING_CAP_WINDOW_MS));
    }

    public Duration claimTimeout() {
        return Duration.ofMillis(getLong(POLICY_CLAIM_TIMEOUT_MS));
    }
}
