package io.wabatch.funnel;

import static io.wabatch.funnel.FunnelSerdes.json;

import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.contract.ChargeType;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignWarning;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.funnel.cost.RateCard;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The funnel as a Kafka Streams topology:
 * <ol>
 *   <li>ready jobs ({@code wa.jobs.ready}), results ({@code wa.results}) and correlated statuses
 *       ({@code wa.status}) keyed by {@code <campaign>|<job>} ({@link JobEvents}) fold into each job's
 *       {@link JobState} (a state store), which is where replayed and out-of-order webhooks become one
 *       state; a failure a resend fixes (131053, 131049) sends the job again, once ({@link JobStateProcessor});</li>
 *   <li>job states regrouped by campaign are added to (and their previous state subtracted from)
 *       the campaign's {@link FunnelCounts}, including whether each message was charged or free and its
 *       estimated price ({@link JobCharge}: once per message, from the furthest of its priced statuses);</li>
 *   <li>joined with the campaign's command from {@code wa.control} (state, published count) into a
 *       {@link CampaignFunnel} written to the compacted {@code wa.funnel}, which {@code wabatch
 *       campaign status} reads;</li>
 *   <li>a campaign whose failure ratio passes the threshold, or that failed with 132015/132016
 *       (template paused or disabled), is paused by a command written to {@code wa.control} ({@link AutoPause});</li>
 *   <li>STOP replies and 131050 statuses become opt-outs in {@code wa.optouts} ({@link OptOutStreams}).</li>
 *   <li>Statuses and messages that name a person by number and business-scoped user ID join the two in
 *       {@code wa.identities} ({@link IdentityStreams}).</li>
 *   <li>The platform's events ({@code wa.platform.events}): a user's marketing "stop" becomes an opt-out, a
 *       template the platform pauses pauses the campaigns that send it, its quality RED or a change of its
 *       category warns them ({@link PlatformStreams}); the warnings ({@link CampaignWarning}, in
 *       {@code wa.control}) join the campaign's funnel.</li>
 * </ol>
 */
public final class FunnelTopology {

    /** A campaign's funnel and the command it was joined with. */
    record Joined(CampaignFunnel funnel, CampaignCommand command) {
    }

    /**
     * When to pause a campaign by itself, and how long a message held back for ecosystem engagement
     * (131049) waits before its resend.
     */
    public record Settings(double failureRatio, long minFinished, Duration engagementDelay,
                           Set<String> optOutKeywords, Set<String> optInKeywords, RateCard rateCard) {

        /** Settings without a rate card: charged messages are counted, not priced. */
        public Settings(double failureRatio, long minFinished, Duration engagementDelay, Set<String> optOutKeywords,
                        Set<String> optInKeywords) {
            this(failureRatio, minFinished, engagementDelay, optOutKeywords, optInKeywords, null);
        }

        String currency() {
            return rateCard == null ? null : rateCard.currency();
        }
    }

    /** Told when a job's message (of a generation) is first priced by a status, for metrics. */
    @FunctionalInterface
    public interface Priced {
        /**
         * @param category the pricing category as the status gave it
         * @param price    the estimated price of a charged message, or null (free, no rate card, no price)
         */
        void priced(String category, ChargeType type, BigDecimal price);
    }

    private static final Consumed<byte[], byte[]> RAW = Consumed.with(Serdes.ByteArray(), Serdes.ByteArray());
    private static final Produced<byte[], byte[]> RAW_OUT = Produced.with(Serdes.ByteArray(), Serdes.ByteArray());

    private FunnelTopology() {
    }

    /**
     * @param stageReached told (channel, stage) when a job first reaches a funnel stage, for metrics
     * @param autoPaused   told (campaign, reason) when the topology pauses a campaign for its failures
     * @param acted        told each action taken on a platform event (a pause, a warning, an opt-out)
     * @param resent       told (channel, generation) when a job is sent again
     * @param priced       told when a job's message is first priced, once per job and generation
     * @param streams      the Kafka Streams configuration the topology will run with (its topology settings)
     */
    public static Topology build(TopicNames topics, Settings settings, Clock clock,
                                 BiConsumer<String, String> stageReached, BiConsumer<String, String> autoPaused,
                                 BiConsumer<String, Integer> resent, Priced priced, PlatformStreams.Acted acted,
                                 Properties streams) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streams)));
        KStream<byte[], byte[]> statuses = builder.stream(topics.status(), RAW.withName("statuses"));
        KStream<byte[], byte[]> inbound = builder.stream(topics.inbound(), RAW.withName("inbound"));
        OptOutStreams.add(topics, statuses, inbound, settings.optOutKeywords(), settings.optInKeywords(), clock);
        IdentityStreams.add(topics, statuses, inbound, clock);
        KTable<String, JobState> jobs = jobStates(builder, topics, statuses,
                () -> new JobStateProcessor(settings.engagementDelay(), clock, stageReached, resent,
                        settings.rateCard(), priced));
        KStream<byte[], byte[]> control = builder.stream(topics.control(), RAW.withName("control"));
        KTable<String, CampaignCommand> commands = campaignCommands(control);
        PlatformStreams.add(builder, topics, commands, clock, acted);
        KStream<String, Joined> joined = campaignCounts(jobs)
                .outerJoin(commands, (total, command) -> {
                    FunnelCounts present = total != null ? total : new FunnelCounts();
                    CampaignCommand state = command != null ? command : CampaignCommand.initial();
                    return new Joined(present.view(null, state.state(), state.reason(), state.by(), state.published(),
                            clock.instant(), settings.currency()), state);
                }, Named.as("funnel-with-state"))
                .leftJoin(campaignWarnings(control), (both, warnings) -> warnings == null ? both
                        : new Joined(both.funnel().withWarnings(warnings.lines()), both.command()),
                        Named.as("funnel-with-warnings"))
                .toStream(Named.as("funnel-changes"));
        joined.mapValues((campaign, both) -> withId(both.funnel(), campaign), Named.as("funnel-named"))
                .to(topics.funnel(), Produced.with(Serdes.String(), json(CampaignFunnel.class)).withName("funnel-out"));
        AutoPause autoPause = new AutoPause(settings, clock, autoPaused);
        joined.flatMap((campaign, both) -> autoPause.onChange(campaign, withId(both.funnel(), campaign), both.command()),
                Named.as("auto-pause")).to(topics.control(), RAW_OUT.withName("auto-pause-out"));
        return builder.build(streams);
    }

    /** Each job's state from its events (ready job, results, statuses); resends go to {@code wa.jobs}. */
    private static KTable<String, JobState> jobStates(StreamsBuilder builder, TopicNames topics,
                                                      KStream<byte[], byte[]> statuses,
                                                      org.apache.kafka.streams.processor.api.ProcessorSupplier<
                                                              String, JobEvents.JobEvent, String,
                                                              JobStateProcessor.Output> processor) {
        Serde<JobState> states = json(JobState.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JobStateProcessor.STORE),
                Serdes.String(), states));
        KStream<String, JobStateProcessor.Output> outputs = JobEvents.stream(builder, topics, statuses)
                .repartition(Repartitioned.with(Serdes.String(), json(JobEvents.JobEvent.class)).withName("job-events"))
                .process(processor, Named.as("job-state"), JobStateProcessor.STORE);
        outputs.filter((key, out) -> out.resend() != null, Named.as("resends"))
                .map((key, out) -> KeyValue.pair(out.resendKey().getBytes(StandardCharsets.UTF_8), out.resend()),
                        Named.as("resend-records"))
                .to(topics.jobs(), RAW_OUT.withName("resends-out"));
        return outputs.filter((key, out) -> out.state() != null, Named.as("job-states"))
                .mapValues(JobStateProcessor.Output::state, Named.as("job-state-values"))
                .toTable(Named.as("job-state-table"), Materialized.<String, JobState, KeyValueStore<Bytes, byte[]>>as(
                        "job-state-view").withKeySerde(Serdes.String()).withValueSerde(states));
    }

    /** Job states regrouped by campaign: a changed state is added and its previous version subtracted. */
    private static KTable<String, FunnelCounts> campaignCounts(KTable<String, JobState> jobs) {
        return jobs.groupBy((key, state) -> KeyValue.pair(state.campaignId(), state),
                        Grouped.with("jobs-by-campaign", Serdes.String(), json(JobState.class)))
                .aggregate(FunnelCounts::new, (campaign, state, total) -> total.add(state, 1),
                        (campaign, state, total) -> total.add(state, -1), Named.as("campaign-counts"),
                        Materialized.<String, FunnelCounts, KeyValueStore<Bytes, byte[]>>as("campaign-counts")
                                .withKeySerde(Serdes.String()).withValueSerde(json(FunnelCounts.class)));
    }

    /** Each campaign's latest command (state, policy, published count) from {@code wa.control}. */
    private static KTable<String, CampaignCommand> campaignCommands(KStream<byte[], byte[]> control) {
        return control
                .flatMap((key, value) -> {
                    String campaign = CampaignCommand.campaignOf(key);
                    CampaignCommand command = campaign == null ? null : CampaignCommand.read(value);
                    return command == null ? List.<KeyValue<String, CampaignCommand>>of()
                            : List.of(KeyValue.pair(campaign, command));
                }, Named.as("campaign-commands"))
                .toTable(Named.as("campaign-command-table"), Materialized.<String, CampaignCommand,
                        KeyValueStore<Bytes, byte[]>>as("campaign-commands").withKeySerde(Serdes.String())
                        .withValueSerde(json(CampaignCommand.class)));
    }

    /** Each campaign's warnings ({@link CampaignWarning}, from {@code wa.control}), a tombstone clearing one. */
    private static KTable<String, CampaignWarnings> campaignWarnings(KStream<byte[], byte[]> control) {
        return control
                .flatMap((key, value) -> {
                    CampaignWarning.Key named = CampaignWarning.keyOf(key);
                    return named == null ? List.<KeyValue<String, CampaignWarnings.Change>>of()
                            : List.of(KeyValue.pair(named.campaign(), new CampaignWarnings.Change(named.kind(),
                            CampaignWarning.read(value))));
                }, Named.as("campaign-warning-changes"))
                .groupByKey(Grouped.with("campaign-warnings-by-campaign", Serdes.String(),
                        json(CampaignWarnings.Change.class)))
                .aggregate(CampaignWarnings::new, (campaign, change, all) -> all.with(change),
                        Named.as("campaign-warnings"), Materialized.<String, CampaignWarnings,
                                KeyValueStore<Bytes, byte[]>>as("campaign-warnings").withKeySerde(Serdes.String())
                                .withValueSerde(json(CampaignWarnings.class)));
    }

    /** Tells {@code stageReached} each funnel stage a job reached between two of its states. */
    static void reached(JobState before, JobState after, BiConsumer<String, String> stageReached) {
        String channel = after.channel() == null ? "unknown" : after.channel();
        if (after.effectiveOutcome() == Outcome.ACCEPTED && before.effectiveOutcome() != Outcome.ACCEPTED) {
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

    /**
     * Tells {@code priced} when a job's message first has a counted charge (in its generation), by the funnel's
     * own rule ({@link JobState#countedCharge()}). A counter cannot take back: a message priced by its
     * {@code sent} status that then fails before delivery stays in the metric, and leaves the funnel's counts.
     */
    static void priced(JobState before, JobState after, Priced priced) {
        JobCharge charge = after.countedCharge();
        if (charge != null && (before.countedCharge() == null || before.generation() != after.generation())) {
            priced.priced(after.pricing(), ChargeType.byWireName(charge.type()), charge.price());
        }
    }

    private static CampaignFunnel withId(CampaignFunnel f, String campaign) {
        return f.withCampaignId(campaign);
    }
}
