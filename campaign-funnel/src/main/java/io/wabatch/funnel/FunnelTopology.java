package io.wabatch.funnel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.kafka.TopicNames;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The funnel as a Kafka Streams topology:
 * <ol>
 *   <li>ready jobs ({@code wa.jobs.ready}), results ({@code wa.results}) and correlated statuses
 *       ({@code wa.status}) keyed by {@code <campaign>|<job>} fold into each job's {@link JobState}
 *       (a state store), which is where replayed and out-of-order webhooks become one state; a
 *       failure a resend fixes (131053, 131049) sends the job again, once ({@link JobStateProcessor});</li>
 *   <li>job states regrouped by campaign are added to (and their previous state subtracted from)
 *       the campaign's {@link FunnelCounts};</li>
 *   <li>joined with the campaign's command from {@code wa.control} (state, published count) into a
 *       {@link CampaignFunnel} written to the compacted {@code wa.funnel}, which {@code wabatch
 *       campaign status} reads;</li>
 *   <li>a campaign whose failure ratio passes the threshold, or that failed with 132015/132016
 *       (template paused or disabled), is paused by a command written to {@code wa.control}.</li>
 * </ol>
 */
public final class FunnelTopology {

    private static final Logger LOG = LoggerFactory.getLogger(FunnelTopology.class);
    static final String AUTO_PAUSE = "auto-pause";
    private static final List<String> TEMPLATE_STOPPED = List.of("132015", "132016");
    /** Refusals by the sender's own policy (opt-outs, the 24-hour window): not a sign the campaign goes wrong. */
    private static final java.util.Set<String> POLICY_CODES = java.util.Set.of("opted_out", "outside_window");

    /** A campaign's funnel and the command it was joined with. */
    record Joined(CampaignFunnel funnel, CampaignCommand command) {
    }

    /** How long an auto-pause not yet read back waits before it is written again. */
    private static final java.time.Duration RETRY_PAUSE = java.time.Duration.ofSeconds(30);

    /** One input event of a job: its ready job, a result or a status. */
    record JobEvent(JobResult result, StatusEvent status, ReadyJob ready) {
    }

    /**
     * When to pause a campaign by itself, and how long a message held back for ecosystem engagement
     * (131049) waits before its resend.
     */
    public record Settings(double failureRatio, long minFinished, java.time.Duration engagementDelay,
                           java.util.Set<String> optOutKeywords, java.util.Set<String> optInKeywords) {
    }

    private FunnelTopology() {
    }

    /**
     * @param stageReached told (channel, stage) when a job first reaches a funnel stage, for metrics
     * @param autoPaused   told (campaign, reason) when the topology pauses a campaign
     */
    public static Topology build(TopicNames topics, Settings autoPause, Clock clock,
                                 BiConsumer<String, String> stageReached, BiConsumer<String, String> autoPaused,
                                 BiConsumer<String, Integer> resent) {
        StreamsBuilder builder = new StreamsBuilder();
        Consumed<byte[], byte[]> raw = Consumed.with(Serdes.ByteArray(), Serdes.ByteArray());
        Serde<JobEvent> events = json(JobEvent.class);
        Serde<JobState> states = json(JobState.class);

        KStream<String, JobEvent> results = builder.stream(topics.results(), raw.withName("results"))
                .flatMap((key, value) -> {
                    JobResult result = read(value, JobResult.class);
                    return result == null || result.campaignId() == null || result.jobId() == null ? List.of()
                            : List.of(KeyValue.pair(jobKey(result.campaignId(), result.jobId()),
                                    new JobEvent(result, null, null)));
                }, Named.as("results-by-job"));
        KStream<byte[], byte[]> rawStatuses = builder.stream(topics.status(), raw.withName("statuses"));
        KStream<String, JobEvent> statuses = rawStatuses
                .flatMap((key, value) -> {
                    StatusEvent status = read(value, StatusEvent.class);
                    return status == null || !status.correlated() ? List.of()
                            : List.of(KeyValue.pair(jobKey(status.campaignId(), status.jobId()),
                                    new JobEvent(null, status, null)));
                }, Named.as("statuses-by-job"));
        KStream<String, JobEvent> readies = builder.stream(topics.ready(), raw.withName("ready-jobs"))
                .flatMap((key, value) -> {
                    ReadyJob job = read(value, ReadyJob.class);
                    return job == null || job.campaignId() == null ? List.of()
                            : List.of(KeyValue.pair(jobKey(job.campaignId(), job.jobId()), new JobEvent(null, null, job)));
                }, Named.as("ready-jobs-by-job"));

        optOuts(builder, topics, rawStatuses, autoPause, clock);

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JobStateProcessor.STORE),
                Serdes.String(), states));
        KStream<String, JobStateProcessor.Output> outputs = results.merge(statuses, Named.as("results-and-statuses"))
                .merge(readies, Named.as("job-events"))
                .repartition(Repartitioned.with(Serdes.String(), events).withName("job-events"))
                .process(() -> new JobStateProcessor(autoPause.engagementDelay(), clock, stageReached, resent),
                        Named.as("job-state"), JobStateProcessor.STORE);
        outputs.filter((key, out) -> out.resend() != null, Named.as("resends"))
                .map((key, out) -> KeyValue.pair(out.resendKey().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        out.resend()), Named.as("resend-records"))
                .to(topics.jobs(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("resends-out"));
        KTable<String, JobState> jobs = outputs.filter((key, out) -> out.state() != null, Named.as("job-states"))
                .mapValues(JobStateProcessor.Output::state, Named.as("job-state-values"))
                .toTable(Named.as("job-state-table"), Materialized.<String, JobState,
                        org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(
                        "job-state-view").withKeySerde(Serdes.String()).withValueSerde(states));

        KTable<String, FunnelCounts> counts = jobs
                .groupBy((key, state) -> KeyValue.pair(state.campaignId(), state),
                        Grouped.with("jobs-by-campaign", Serdes.String(), states))
                .aggregate(FunnelCounts::new, (campaign, state, total) -> total.add(state, 1),
                        (campaign, state, total) -> total.add(state, -1), Named.as("campaign-counts"),
                        Materialized.<String, FunnelCounts, org.apache.kafka.streams.state.KeyValueStore<
                                org.apache.kafka.common.utils.Bytes, byte[]>>as("campaign-counts")
                                .withKeySerde(Serdes.String()).withValueSerde(json(FunnelCounts.class)));

        KTable<String, CampaignCommand> commands = builder.stream(topics.control(), raw.withName("control"))
                .flatMap((key, value) -> {
                    String campaign = CampaignCommand.campaignOf(key);
                    CampaignCommand command = campaign == null ? null : CampaignCommand.read(value);
                    return command == null ? List.of() : List.of(KeyValue.pair(campaign, command));
                }, Named.as("campaign-commands"))
                .toTable(Named.as("campaign-command-table"), Materialized.<String, CampaignCommand,
                        org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(
                        "campaign-commands").withKeySerde(Serdes.String()).withValueSerde(json(CampaignCommand.class)));

        KStream<String, Joined> joined = counts.outerJoin(commands, (total, command) -> {
            FunnelCounts present = total != null ? total : new FunnelCounts();
            CampaignCommand state = command != null ? command : CampaignCommand.initial();
            return new Joined(present.view(null, state.state(), state.reason(), state.by(), state.published(),
                    clock.instant()), state);
        }, Named.as("funnel-with-state")).toStream(Named.as("funnel-changes"));
        KStream<String, CampaignFunnel> funnels = joined
                .mapValues((campaign, both) -> withId(both.funnel(), campaign), Named.as("funnel-named"));
        funnels.to(topics.funnel(), Produced.with(Serdes.String(), json(CampaignFunnel.class)).withName("funnel-out"));

        // When this instance last paused a campaign that still runs: once its pause is read back the
        // state changes; if the transaction carrying it aborted, it is written again after RETRY_PAUSE.
        java.util.Map<String, java.time.Instant> pausing = new java.util.concurrent.ConcurrentHashMap<>();
        joined.flatMap((campaign, both) -> {
            if (!CampaignCommand.RUNNING.equals(both.command().state())) {
                pausing.remove(campaign);
            }
            String reason = autoPauseReason(withId(both.funnel(), campaign), autoPause);
            java.time.Instant now = clock.instant();
            java.time.Instant last = pausing.get(campaign);
            if (reason == null || (last != null && now.isBefore(last.plus(RETRY_PAUSE)))) {
                return List.<KeyValue<byte[], byte[]>>of();
            }
            pausing.put(campaign, now);
            LOG.warn("campaign {} auto-paused: {}", campaign, reason);
            autoPaused.accept(campaign, reason);
            // The campaign's record with another state: its policy and published count stay.
            CampaignCommand pause = both.command().to(CampaignCommand.PAUSED, reason, AUTO_PAUSE, now);
            return List.of(KeyValue.pair(CampaignCommand.key(campaign), Json.bytes(pause)));
        }, Named.as("auto-pause")).to(topics.control(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                .withName("auto-pause-out"));
        return builder.build();
    }

    /**
     * Opt-outs to the compacted {@code wa.optouts}: a customer's message that is one of the opt-out
     * keywords (STOP, ...) or a 131050 status (user stopped marketing messages) opts them out; an
     * opt-in keyword (START) opts them back in (a tombstone).
     */
    private static void optOuts(StreamsBuilder builder, TopicNames topics, KStream<byte[], byte[]> rawStatuses,
                                Settings settings, Clock clock) {
        Produced<byte[], byte[]> out = Produced.with(Serdes.ByteArray(), Serdes.ByteArray());
        builder.stream(topics.inbound(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("inbound"))
                .flatMap((key, value) -> {
                    io.wabatch.common.contract.InboundMessage message = read(value,
                            io.wabatch.common.contract.InboundMessage.class);
                    if (message == null || message.text() == null || message.from() == null) {
                        return List.<KeyValue<byte[], byte[]>>of();
                    }
                    String word = message.text().strip().toUpperCase(java.util.Locale.ROOT);
                    byte[] phone = message.from().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    if (settings.optOutKeywords().contains(word)) {
                        return List.of(KeyValue.pair(phone, Json.bytes(new io.wabatch.common.contract.OptOut(
                                message.from(), "inbound:" + word, clock.instant()))));
                    }
                    return settings.optInKeywords().contains(word) ? List.of(KeyValue.<byte[], byte[]>pair(phone, null))
                            : List.<KeyValue<byte[], byte[]>>of();
                }, Named.as("inbound-opt-outs")).to(topics.optOuts(), out.withName("inbound-opt-outs-out"));
        rawStatuses.flatMap((key, value) -> {
            StatusEvent status = read(value, StatusEvent.class);
            if (status == null || status.recipient() == null || !Integer.valueOf(131050).equals(status.errorCode())) {
                return List.<KeyValue<byte[], byte[]>>of();
            }
            return List.of(KeyValue.pair(status.recipient().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    Json.bytes(new io.wabatch.common.contract.OptOut(status.recipient(), "status:131050",
                            clock.instant()))));
        }, Named.as("status-opt-outs")).to(topics.optOuts(), out.withName("status-opt-outs-out"));
    }

    /** Why a running campaign must pause by itself, or null. An operator's resume is final. */
    static String autoPauseReason(CampaignFunnel funnel, Settings settings) {
        if (!CampaignCommand.RUNNING.equals(funnel.state()) || "operator".equals(funnel.by())) {
            return null;
        }
        for (String code : TEMPLATE_STOPPED) {
            if (funnel.failedByCode().containsKey(code)) {
                return "the template was " + (code.equals("132015") ? "paused" : "disabled") + " by WhatsApp ("
                        + code + ", " + funnel.failedByCode().get(code) + " failures); fix or replace it, then "
                        + "'wabatch campaign resume " + funnel.campaignId() + "'";
            }
        }
        // Of the jobs whose fate is known: failed (before sending or by status) or delivered. Accepted jobs
        // still waiting for their statuses would dilute the ratio while the failures are on their way.
        long refusedByPolicy = funnel.failedByCode().entrySet().stream()
                .filter(e -> POLICY_CODES.contains(e.getKey())).mapToLong(java.util.Map.Entry::getValue).sum();
        long failed = funnel.failed() - refusedByPolicy;
        long known = failed + funnel.delivered();
        if (settings.failureRatio() < 1.0 && known >= settings.minFinished()
                && failed > settings.failureRatio() * known) {
            return String.format(java.util.Locale.ROOT, "%d of %d jobs with a known fate failed (%.0f %%, threshold "
                            + "%.0f %%), most with %s; check 'wabatch campaign status %s', then resume or cancel",
                    failed, known, 100.0 * failed / known, 100 * settings.failureRatio(),
                    funnel.failedByCode().entrySet().stream().max(java.util.Map.Entry.comparingByValue())
                            .map(java.util.Map.Entry::getKey).orElse("?"), funnel.campaignId());
        }
        return null;
    }

    static void reached(JobState before, JobState after, BiConsumer<String, String> stageReached) {
        String channel = after.channel() == null ? "unknown" : after.channel();
        if (after.effectiveOutcome() == io.wabatch.common.contract.Outcome.ACCEPTED
                && before.effectiveOutcome() != io.wabatch.common.contract.Outcome.ACCEPTED) {
            stageReached.accept(channel, "accepted");
        }
        String[] stages = {null, "sent", "delivered", "read"};
        for (int stage = Math.max(1, before.delivery() + 1); stage <= after.delivery(); stage++) {
            stageReached.accept(channel, stages[stage]);
        }
        if (after.failed() && !before.failed()) {
            stageReached.accept(channel, "failed");
        }
    }

    private static CampaignFunnel withId(CampaignFunnel f, String campaign) {
        return new CampaignFunnel(campaign, f.state(), f.reason(), f.by(), f.published(), f.jobs(), f.finished(),
                f.uploaded(), f.accepted(), f.sent(), f.delivered(), f.read(), f.failed(), f.failedByCode(), f.expired(),
                f.cancelled(), f.parked(), f.inDoubt(), f.suppressed(), f.pricing(), f.firstAcceptedAt(),
                f.lastAcceptedAt(), f.updatedAt());
    }

    static String jobKey(String campaign, String job) {
        return campaign + "|" + job;
    }

    private static String campaignOf(String key) {
        return key.substring(0, key.indexOf('|'));
    }

    private static <T> T read(byte[] value, Class<T> type) {
        if (value == null) {
            return null;
        }
        try {
            return Json.read(value, type);
        } catch (IOException | RuntimeException e) {
            LOG.warn("funnel: skipping an unreadable {}: {}", type.getSimpleName(), e.getMessage());
            return null;
        }
    }

    static <T> Serde<T> json(Class<T> type) {
        ObjectMapper mapper = Json.mapper();
        return Serdes.serdeFrom((topic, value) -> value == null ? null : Json.bytes(value), (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return mapper.readValue(bytes, type);
            } catch (IOException e) {
                throw new org.apache.kafka.common.errors.SerializationException("unreadable " + type.getSimpleName(), e);
            }
        });
    }
}
