package io.wabatch.sender.policy;

import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.PhoneNumbers;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WhatsApp's messaging rules, applied to each job before any API call (issue 8):
 * <ol>
 *   <li>opt-outs: a marketing campaign's message to a customer who opted out is refused
 *       ({@code opted_out});</li>
 *   <li>the US marketing pause: a marketing campaign's template to a US number is refused
 *       ({@code us_marketing_pause}) unless the channel's registry entry turns the rule off, since the
 *       API would not deliver it (131049); see {@link UsMarketingPause};</li>
 *   <li>the 24-hour window: a non-template message to a customer who has not written within the
 *       window is refused ({@code outside_window}), since the API would refuse it (131047);</li>
 *   <li>send windows: a campaign's quiet hours in the recipient's time zone defer the message to
 *       their end ({@code quiet_hours});</li>
 *   <li>messaging tiers: a business-initiated message (a template to a customer outside the window)
 *       to a new recipient beyond the channel's tier defers until a place frees up ({@code tier}).</li>
 * </ol>
 */
public final class MessagingPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(MessagingPolicy.class);

    /** What to do with a job. */
    public sealed interface Decision {
        /** Send it. */
        record Send() implements Decision {
        }

        /** Never send it: a result {@code failed} with this code and reason. */
        record Refuse(String code, String title, String details) implements Decision {
        }

        /** Not before {@code due}. */
        record Defer(Instant due, String reason) implements Decision {
        }
    }

    private static final Decision SEND = new Decision.Send();

    /**
     * @param enforceOptOuts suppress opted-out customers for marketing campaigns
     * @param enforceWindow  refuse non-template messages outside the service window
     * @param serviceWindow  the customer-service window (24 h)
     */
    public record Settings(boolean enforceOptOuts, boolean enforceWindow, Duration serviceWindow) {
    }

    private final Settings settings;
    private final RecipientBook recipients;
    private final TierBook tiers;
    private final ChannelRegistry registry;
    private final Clock clock;
    private final Map<String, CompletableFuture<Void>> rebuilt = new ConcurrentHashMap<>();
    private final String resultsTopic;
    private final Supplier<KafkaConsumer<byte[], byte[]>> consumers;
    private final ExecutorService executor;

    /**
     * @param consumers    consumers without a group, to rebuild tier counts from {@code resultsTopic}
     * @param executor     where the rebuilds run
     */
    public MessagingPolicy(Settings settings, RecipientBook recipients, TierBook tiers, ChannelRegistry registry,
                           String resultsTopic, Supplier<KafkaConsumer<byte[], byte[]>> consumers,
                           ExecutorService executor, Clock clock) {
        this.settings = settings;
        this.recipients = recipients;
        this.tiers = tiers;
        this.registry = registry;
        this.resultsTopic = resultsTopic;
        this.consumers = consumers;
        this.executor = executor;
        this.clock = clock;
    }

    /** Completes when the channel's tier count is rebuilt (at once for channels without a tier). */
    public CompletableFuture<Void> ready(String channel) {
        return rebuilt.getOrDefault(channel, CompletableFuture.completedFuture(null));
    }

    public Decision check(ReadyJob job, CampaignPolicy campaign) {
        Instant now = clock.instant();
        String to = job.to();
        if (settings.enforceOptOuts() && campaign.marketing() && recipients.optedOut(to)) {
            return new Decision.Refuse("opted_out", "Recipient opted out", "the customer opted out of marketing "
                    + "messages (replied with an opt-out keyword or produced 131050); campaign category "
                    + campaign.category());
        }
        Channel channel = registry.get(job.channel());
        if (UsMarketingPause.skips(channel, campaign, job, now)) {
            return UsMarketingPause.refusal(channel);
        }
        Instant wrote = recipients.lastInbound(channel.endpoint().phoneNumberId(), to);
        boolean windowOpen = wrote != null && wrote.plus(settings.serviceWindow()).isAfter(now);
        boolean template = "template".equals(job.message().path("type").asText());
        if (settings.enforceWindow() && !template && !windowOpen) {
            return new Decision.Refuse("outside_window", "Outside the 24-hour window", "a " + job.message().path("type")
                    .asText() + " message needs the customer's 24-hour service window, and "
                    + (wrote == null ? "they have not written within it" : "they last wrote at " + wrote)
                    + "; send a template instead (the API would answer 131047)");
        }
        Instant quietEnds = QuietHours.resumeAt(campaign, to, now);
        if (quietEnds != null) {
            return new Decision.Defer(quietEnds, "quiet_hours");
        }
        if (channel.tier() != null && !windowOpen) {
            Instant free = tiers.admit(channel.id(), channel.tier(), to, now);
            if (free != null) {
                LOG.debug("channel {}: tier of {} recipients per {} reached; {} waits until {}", channel.id(),
                        channel.tier(), tiers.window(), PhoneNumbers.mask(to), free);
                return new Decision.Defer(free, "tier");
            }
        }
        return SEND;
    }

    /**
     * A refusal that no wait can lift, decided as soon as the job arrives, before it waits for its
     * {@code not_before} or a deferral (a 131049 resend a day later among them): the US marketing pause.
     *
     * @return the refusal, or null when the job may wait
     */
    public Decision.Refuse lasting(ReadyJob job, CampaignPolicy campaign) {
        Channel channel = registry.get(job.channel());
        return UsMarketingPause.skips(channel, campaign, job, clock.instant()) ? UsMarketingPause.refusal(channel)
                : null;
    }

    /**
     * The outcome of a 131049 answer (held back, otherwise failed or resent a day later) when the US
     * marketing pause covers the job: the rule's, whatever the campaign's category.
     *
     * @return the rule's refusal, or null when the rule does not cover the job
     */
    public Decision.Refuse heldBack(ReadyJob job) {
        Channel channel = registry.get(job.channel());
        return UsMarketingPause.covers(channel, job, clock.instant()) ? UsMarketingPause.heldBack(channel) : null;
    }

    /** The API accepted a message: a tier place it holds counts from now. */
    public void accepted(ReadyJob job) {
        tiers.accepted(job.channel(), job.to(), clock.instant());
    }

    /**
     * A partition is this sender's now: rebuild the tier counts of its channels from their accepted
     * results of the last window (all of them are counted, which errs on the safe side).
     */
    public void assigned(int partition) {
        for (Channel channel : registry.all()) {
            if (channel.tier() == null || channel.partition() != partition) {
                continue;
            }
            // A failed rebuild leaves the counts as they are (they only grow from here): jobs are not held.
            rebuilt.put(channel.id(), CompletableFuture.runAsync(() -> rebuild(channel), executor).exceptionally(e -> {
                LOG.error("channel {}: tier count not rebuilt from {}: {}; counting from now", channel.id(),
                        resultsTopic, e.toString());
                return null;
            }));
        }
    }

    private void rebuild(Channel channel) {
        TopicPartition partition = new TopicPartition(resultsTopic, channel.partition());
        Instant from = clock.instant().minus(tiers.window());
        int counted = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumers.get()) {
            consumer.assign(List.of(partition));
            OffsetAndTimestamp start = consumer.offsetsForTimes(Map.of(partition, from.toEpochMilli())).get(partition);
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            consumer.seek(partition, start == null ? end : start.offset());
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        JobResult result = Json.read(record.value(), JobResult.class);
                        if (result.outcome() == Outcome.ACCEPTED && channel.id().equals(result.channel())
                                && result.to() != null && result.sentAt() != null && result.sentAt().isAfter(from)) {
                            tiers.record(channel.id(), result.to(), result.sentAt());
                            counted++;
                        }
                    } catch (java.io.IOException | RuntimeException unreadable) {
                        // not a result: nothing to count
                    }
                }
            }
        }
        LOG.info("channel {}: tier {} per {}, {} recipients counted from {} accepted messages", channel.id(),
                channel.tier(), tiers.window(), tiers.used(channel.id(), clock.instant()), counted);
    }
}
