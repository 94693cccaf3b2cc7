package io.wabatch.funnel;

import io.micrometer.core.instrument.MeterRegistry;
import io.wabatch.common.contract.ChargeType;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.service.WorkerProcess;
import io.wabatch.common.kafka.KafkaClients;
import io.wabatch.common.kafka.TopicException;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.TopicSpec;
import io.wabatch.common.kafka.Topics;
import io.wabatch.common.metrics.Meters;
import io.wabatch.common.metrics.Metric;
import io.wabatch.common.observe.Health;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The funnel aggregator process: runs the {@link FunnelTopology} (Kafka Streams, exactly once)
 * that keeps each campaign's delivery funnel in {@code wa.funnel} and auto-pauses campaigns that go
 * wrong. Instances share the work through the Streams application id ({@code group.id}); its state
 * is rebuilt from changelog topics, so any instance can take over.
 */
public final class FunnelAggregator implements WorkerProcess.Worker {

    private static final Logger LOG = LoggerFactory.getLogger(FunnelAggregator.class);

    /** The platform actions the funnel takes, registered at 0 from the start. */
    private static final Map<String, List<String>> FUNNEL_ACTIONS = Map.of(
            PlatformEvent.TEMPLATE_STATUS, List.of("pause", "resume"),
            PlatformEvent.TEMPLATE_QUALITY, List.of("warn", "clear"),
            PlatformEvent.TEMPLATE_CATEGORY, List.of("warn", "pause"),
            PlatformEvent.USER_PREFERENCES, List.of("opt_out", "opt_in"));

    private final KafkaStreams streams;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private FunnelAggregator(FunnelConfig config, MeterRegistry registry) {
        Meters meters = new Meters(registry);
        // At 0 from the start, so the dashboard and the alert see the series before the first auto-pause.
        meters.counter(Metric.FUNNEL_AUTO_PAUSES);
        FUNNEL_ACTIONS.forEach((field, actions) -> actions.forEach(action -> meters.counter(Metric.FUNNEL_PLATFORM_ACTIONS,
                "field", field, "action", action)));
        registerPricing(meters);
        Properties props = new Properties();
        props.putAll(config.kafkaProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.groupId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.streamsCommitInterval().toMillis());
        props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.putIfAbsent(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 10L << 20);
        // Kafka 4.x warns until this is set (it becomes the default in 5.0); the topology has no global tables. The
        // partition assignor builds its own StreamsConfig from the main consumer's configuration, so it goes there
        // too, or that one warns (the consumer logs it as unused, at INFO).
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.putIfAbsent(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                true);
        streams = new KafkaStreams(FunnelTopology.build(config.topics(),
                new FunnelTopology.Settings(config.autoPauseRatio(), config.autoPauseMinFinished(),
                        config.engagementDelay(), config.optOutKeywords(), config.optInKeywords(),
                        config.rateCard().orElse(null)), Clock.systemUTC(),
                (channel, stage) -> meters.counter(Metric.FUNNEL_MESSAGES, "channel", channel, "stage", stage).increment(),
                (campaign, reason) -> meters.counter(Metric.FUNNEL_AUTO_PAUSES).increment(),
                (channel, code) -> meters.counter(Metric.FUNNEL_RESENDS, "channel", channel, "error_code",
                        code.toString()).increment(),
                (category, type, price) -> priced(meters, category, type, price),
                (field, action, campaign, reason) -> meters.counter(Metric.FUNNEL_PLATFORM_ACTIONS, "field", field,
                        "action", action).increment(), props), props);
        config.rateCard().ifPresent(card -> LOG.info("funnel: estimating costs in {} from rate card {}",
                card.currency(), config.getString(FunnelConfig.RATE_CARD)));
        streams.setStateListener((now, before) -> {
            LOG.info("funnel aggregator {} (was {})", now, before);
            if (now == KafkaStreams.State.ERROR || (now == KafkaStreams.State.NOT_RUNNING && !terminated.isDone())) {
                terminated.completeExceptionally(new IllegalStateException("the funnel topology stopped: " + now));
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("funnel aggregator failed: {}", e.toString(), e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .SHUTDOWN_CLIENT;
        });
    }

    /** Every pricing series at 0, so the dashboard and any alert see them before the first priced status. */
    private static void registerPricing(Meters meters) {
        for (String category : categoryTags()) {
            meters.counter(Metric.FUNNEL_ESTIMATED_COST, "category", category);
            for (ChargeType type : ChargeType.values()) {
                meters.counter(Metric.FUNNEL_PRICED_MESSAGES, "category", category, "type", type.wireName());
            }
        }
    }

    private static List<String> categoryTags() {
        List<String> tags = new ArrayList<>(ChargeType.CATEGORIES);
        tags.add("other");
        return tags;
    }

    private static void priced(Meters meters, String category, ChargeType type, BigDecimal price) {
        String tag = ChargeType.categoryTag(category);
        meters.counter(Metric.FUNNEL_PRICED_MESSAGES, "category", tag, "type", type.wireName()).increment();
        if (price != null) {
            meters.counter(Metric.FUNNEL_ESTIMATED_COST, "category", tag).increment(price.doubleValue());
        }
    }

    /**
     * Checks the topics and starts the topology.
     *
     * @throws TopicException when a topic it reads or writes is missing or misconfigured
     */
    public static FunnelAggregator start(FunnelConfig config, MeterRegistry meters) throws TopicException {
        if (config.checkTopics()) {
            TopicNames names = config.topics();
            List<TopicSpec> needed = new ArrayList<>();
            for (String topic : List.of(names.ready(), names.results(), names.status(), names.control(), names.funnel(),
                    names.jobs(), names.inbound(), names.optOuts(), names.identities(), names.platformEvents())) {
                needed.add(names.spec(topic, 1));
            }
            try (Admin admin = Admin.create(KafkaClients.adminProperties(config))) {
                Topics.check(admin, needed, 1);
            }
        }
        FunnelAggregator aggregator = new FunnelAggregator(config, meters);
        aggregator.streams.start();
        return aggregator;
    }

    @Override
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    @Override
    public Health live() {
        return Health.of("streams", streams.state() != KafkaStreams.State.ERROR);
    }

    @Override
    public Health ready() {
        return Health.of("streams", streams.state() == KafkaStreams.State.RUNNING);
    }

    /** True once the topology runs (its state restored). */
    public boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
        terminated.complete(null);
        streams.close(java.time.Duration.ofSeconds(30));
    }
}
