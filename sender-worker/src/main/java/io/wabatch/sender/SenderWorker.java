package io.wabatch.sender;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.wabatch.common.api.WhatsAppClient;
import io.wabatch.common.api.WhatsAppClients;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelPartitioner;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.control.ControlListener;
import io.wabatch.common.kafka.ConsumeProduceLoop;
import io.wabatch.common.kafka.KafkaClients;
import io.wabatch.common.service.KafkaWorker;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.kafka.TopicException;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.TopicSpec;
import io.wabatch.common.kafka.TopicFollower;
import io.wabatch.common.kafka.Topics;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.sender.config.SenderWorkerConfig;
import io.wabatch.sender.control.CampaignControl;
import io.wabatch.sender.control.ChannelControl;
import io.wabatch.sender.control.PlatformActions;
import io.wabatch.sender.defer.DeferredRelay;
import io.wabatch.sender.defer.Deferrals;
import io.wabatch.sender.ledger.SendLedger;
import io.wabatch.sender.pace.AdaptivePace;
import io.wabatch.sender.pace.InboundRate;
import io.wabatch.sender.pace.PairPacer;
import io.wabatch.sender.policy.MessagingPolicy;
import io.wabatch.sender.policy.PortfolioBook;
import io.wabatch.sender.policy.PortfolioLimits;
import io.wabatch.sender.policy.RecipientBook;
import io.wabatch.sender.retry.Backoff;
import io.wabatch.sender.send.MarketingRoute;
import io.wabatch.sender.send.SendHandler;
import io.wabatch.sender.send.SenderMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sender worker: consumes {@code wa.jobs.ready}, paces each channel, sends, produces
 * results, dead letters and deferrals; follows {@code wa.control} for channel states; relays
 * deferred jobs back when due. Embeddable (the demo and tests run it in-process) and the body of
 * {@link SenderWorkerMain}.
 */
public final class SenderWorker extends KafkaWorker {

    private static final Logger LOG = LoggerFactory.getLogger(SenderWorker.class);

    private final ControlListener control;
    private final DeferredRelay relay;
    private final RecipientBook recipients;
    private final PortfolioBook portfolios;
    /** The portfolios' messaging limits as the platform announces them. */
    private final PortfolioLimits limits = new PortfolioLimits();
    private final TopicFollower platform;
    /** How far back a starting sender reads the platform's events (an account restriction of yesterday holds). */
    private static final java.time.Duration PLATFORM_HISTORY = java.time.Duration.ofDays(1);

    private SenderWorker(SenderWorkerConfig config, ChannelRegistry registry, MeterRegistry meters) {
        super("sender worker", config, meters);
        Vertx vertx = vertx();
        Map<String, WhatsAppClient> clients = apiClients(config, registry);
        TopicNames topics = config.topics();
        List<String> channelTopics = new ArrayList<>(List.of(topics.ready(), topics.results(), topics.ledger()));
        channelTopics.addAll(topics.deferredTopics());
        Map<String, Object> partitioning = new HashMap<>(ChannelPartitioner.configFor(registry, channelTopics));
        String clientId = "wabatch-sender-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(config, clientId, partitioning);
        // Metadata of the topics written from the event loop is fetched here, never there.
        producer.partitionsFor(topics.control());
        producer.partitionsFor(topics.ledger());
        producer.partitionsFor(topics.identities());

        Context context = vertx.getOrCreateContext();
        InboundRate inbound = new InboundRate(registry.all(), config.inboundWindow(), Clock.systemUTC());
        registry.all().stream().filter(c -> !inbound.follows(c.id())).forEach(c -> LOG.info("channel {}: no "
                + "phone_number_id in the registry, so its inbound messages are not seen; its pace leaves only its "
                + "headroom for them", c.id()));
        AdaptivePace pace = new AdaptivePace(vertx, registry.all(), config.paceSettings(), inbound);
        ChannelControl channels = channelControl(config, registry, pace, clients, producer, topics.control());
        SenderMetrics metrics = new SenderMetrics(meters);
        ownsMeters(metrics.paceGauges(registry.ids(), pace));
        ownsMeters(metrics.channelGauges(registry.ids(), channels, pace));
        channels.onProbe(metrics::probe);
        CampaignControl campaigns = new CampaignControl();
        control = new ControlListener(KafkaClients.adminProperties(config), topics.control(),
                (channel, command) -> context.runOnContext(v -> channels.apply(channel, command)),
                campaigns::apply);

        SendLedger ledger = config.ledgerEnabled() ? ledger(config, registry, producer, clientId, metrics) : null;
        recipients = new RecipientBook(KafkaClients.adminProperties(config), topics.optOuts(), topics.inbound(),
                topics.identities(), config.policySettings().serviceWindow(), Clock.systemUTC())
                .onInbound(inbound::record);
        closeAlso(recipients::close);
        runsAlongside(recipients.terminated());
        portfolios = new PortfolioBook(KafkaClients.adminProperties(config),
                KafkaClients.producer(config, clientId + "-claims", Map.of()), topics.portfolioClaims(),
                max(config.tierWindow(), config.marketingCapWindow()), config.claimTimeout(), Clock.systemUTC());
        closeAlso(portfolios::close);
        runsAlongside(portfolios.terminated());
        MarketingRoute route = new MarketingRoute(registry, config.marketingMessagesRetry(), Clock.systemUTC());
        SendHandler handler = new SendHandler(vertx, pace, new PairPacer(vertx, config.pairWindow(), config.pairBurst()),
                channels, campaigns, policy(config, registry), clients::get,
                new Outputs(topics, "send", meters), new Deferrals(topics), ledger, new SendHandler.Policy(
                        new Backoff(config.retryInitial(), config.retryMax()), config.maxAttempts(),
                        config.pairBackoffBase(), config.inDoubtDefault()), metrics, route, Clock.systemUTC());
        PlatformActions actions = new PlatformActions(registry, channels, limits, route::termsAccepted,
                metrics::platformAction, Clock.systemUTC());
        platform = TopicFollower.named("platform-actions", KafkaClients.adminProperties(config))
                .since(topics.platformEvents(), () -> Clock.systemUTC().instant().minus(PLATFORM_HISTORY))
                .onRecord(record -> {
                    try {
                        PlatformEvent event = PlatformEvent.decode(record.value());
                        context.runOnContext(v -> actions.apply(event));
                    } catch (java.io.IOException | RuntimeException e) {
                        LOG.warn("skipping an unreadable platform event at {}-{}@{}: {}", record.topic(),
                                record.partition(), record.offset(), e.getMessage());
                    }
                }).build();
        closeAlso(platform::close);
        runsAlongside(platform.terminated());
        consume(config, registry, producer, clientId, context, handler, channels, metrics);

        relay = new DeferredRelay(KafkaClients.consumer(config, clientId + "-deferred",
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, config.groupId() + "-deferred")),
                KafkaClients.producer(config, clientId + "-deferred", partitioning), topics, Clock.systemUTC());
        runsAlongside(relay.terminated());
        closeAlso(relay::close);
        closeAlso(control::close);
        runsAlongside(control.terminated());
    }

    /** One WhatsApp API client per channel, sharing one HTTP client. */
    private Map<String, WhatsAppClient> apiClients(SenderWorkerConfig config, ChannelRegistry registry) {
        WebClient api = WhatsAppClients.webClient(vertx(), config.clientOptions(config.httpRequestTimeout()));
        closeAlso(api::close);
        Map<String, WhatsAppClient> clients = new HashMap<>();
        for (Channel channel : registry.all()) {
            clients.put(channel.id(), WhatsAppClients.create(api, channel.endpoint(),
                    config.clientOptions(config.httpRequestTimeout())));
        }
        return clients;
    }

    /** The channels' states; a state this sender decides (a pause for an API error) is published to every sender. */
    private ChannelControl channelControl(SenderWorkerConfig config, ChannelRegistry registry, AdaptivePace pace,
                                          Map<String, WhatsAppClient> clients, KafkaProducer<byte[], byte[]> producer,
                                          String controlTopic) {
        // Sending may block on metadata or a full buffer: never on the event loop.
        ExecutorService publisher = Executors.newSingleThreadExecutor(r -> daemon(r, "control-publisher"));
        closeAlso(publisher::shutdown);
        return new ChannelControl(vertx(), registry, pace, clients::get,
                (channel, command) -> publisher.execute(() -> producer.send(command.toRecord(controlTopic, channel),
                        (metadata, error) -> {
                            if (error != null) {
                                LOG.error("channel {}: publishing its state to {} failed: {}", channel,
                                        controlTopic, error.toString());
                            }
                        })),
                config.channelSettings(), Clock.systemUTC());
    }

    /** The send ledger, its records written by the loop's producer, read back by consumers of no group. */
    private SendLedger ledger(SenderWorkerConfig config, ChannelRegistry registry,
                              KafkaProducer<byte[], byte[]> producer, String clientId, SenderMetrics metrics) {
        Map<String, Object> reader = new HashMap<>();
        reader.put(ConsumerConfig.GROUP_ID_CONFIG, null); // assigned by hand, no group
        reader.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        SendLedger ledger = new SendLedger(config.topics().ledger(), producer,
                channel -> registry.get(channel).partition(),
                () -> KafkaClients.consumer(config, clientId + "-ledger", reader), config.ledgerHorizon(),
                Clock.systemUTC());
        closeAlso(ledger::close);
        ownsMeters(metrics.ledgerGauge(ledger::size));
        return ledger;
    }

    /** The messaging policy over the recipient book and the portfolios' budgets. */
    private MessagingPolicy policy(SenderWorkerConfig config, ChannelRegistry registry) {
        return new MessagingPolicy(config.policySettings(), recipients, portfolios, config.tierWindow(),
                config.marketingCapWindow(), registry, limits, Clock.systemUTC());
    }

    private static java.time.Duration max(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The consume loop over the ready topic; a paused channel's partition is not fetched. */
    private void consume(SenderWorkerConfig config, ChannelRegistry registry, KafkaProducer<byte[], byte[]> producer,
                         String clientId, Context context, SendHandler handler, ChannelControl channels,
                         SenderMetrics metrics) {
        String ready = config.topics().ready();
        KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(config, clientId,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords()));
        ConsumeProduceLoop loop = new ConsumeProduceLoop("sender-worker", consumer, producer, List.of(ready), context,
                handler, config.loopOptions());
        // A paused channel's partition is not fetched, and its waiting records leave the window to the others.
        channels.onSuspension((channel, suspended) -> {
            TopicPartition partition = new TopicPartition(ready, registry.get(channel).partition());
            if (suspended) {
                loop.suspend(partition);
            } else {
                loop.resume(partition);
            }
        });
        ownsMeters(metrics.inFlightGauge(loop::inFlight));
        consumeWith(producer, consumer, loop);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Checks the topics and starts consuming, registering meters in {@code meters} (a process passes its
     * Prometheus registry, a test may pass a simple one).
     *
     * @throws TopicException when the topics are missing or misconfigured (nothing is started)
     */
    public static SenderWorker start(SenderWorkerConfig config, ChannelRegistry registry, MeterRegistry meters)
            throws TopicException {
        if (config.checkTopics()) {
            TopicNames names = config.topics();
            int partitions = registry.requiredPartitions();
            List<TopicSpec> needed = new ArrayList<>();
            for (String topic : List.of(names.ready(), names.results(), names.dlq(), names.control(), names.ledger(),
                    names.inbound(), names.optOuts(), names.identities(), names.portfolioClaims(),
                    names.platformEvents())) {
                needed.add(names.spec(topic, partitions));
            }
            names.deferredTopics().forEach(tier -> needed.add(names.spec(tier, partitions)));
            try (Admin admin = Admin.create(KafkaClients.adminProperties(config))) {
                Topics.check(admin, needed, partitions);
            }
        }
        SenderWorker worker = new SenderWorker(config, registry, meters);
        // Apply the channel states already in wa.control (paused channels stay paused) before sending.
        worker.control.start().caughtUp().orTimeout(30, TimeUnit.SECONDS).join();
        // Opt-outs and the customers' windows are known before the first job is checked.
        worker.recipients.start().caughtUp().orTimeout(60, TimeUnit.SECONDS).join();
        // The portfolios' tier and marketing-cap counts of the last window are known before the first claim.
        worker.portfolios.start().caughtUp().orTimeout(60, TimeUnit.SECONDS).join();
        worker.platform.start().caughtUp().orTimeout(60, TimeUnit.SECONDS).join();
        worker.startConsuming();
        worker.relay.start();
        LOG.info("sender worker started for channels {}", registry.ids());
        return worker;
    }
}
