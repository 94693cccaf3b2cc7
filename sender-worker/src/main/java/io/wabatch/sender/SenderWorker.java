package io.wabatch.sender;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.wabatch.common.api.WhatsAppClient;
import io.wabatch.common.api.WhatsAppClients;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelPartitioner;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.kafka.ConsumeProduceLoop;
import io.wabatch.common.kafka.KafkaWorker;
import io.wabatch.common.kafka.KafkaClients;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.kafka.TopicException;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.wabatch.sender.config.SenderWorkerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wabatch.sender.pace.AdaptivePace;
import io.wabatch.sender.pace.ChannelGate;
import io.wabatch.common.control.ChannelCommand;
import io.wabatch.common.control.ControlListener;
import java.time.Instant;
import java.util.function.BiConsumer;
import io.wabatch.sender.pace.PairPacer;
import io.wabatch.sender.send.SenderMetrics;
import io.wabatch.sender.retry.Backoff;
import io.wabatch.sender.send.SendHandler;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sender worker: consumes {@code wa.jobs.ready}, paces each channel, sends, produces
 * results and dead letters. Embeddable (the demo and tests run it in-process) and the body of
 * {@link SenderWorkerMain}.
 */
public final class SenderWorker extends KafkaWorker {

    private static final Logger LOG = LoggerFactory.getLogger(SenderWorker.class);

    private final ControlListener control;

    private SenderWorker(SenderWorkerConfig config, ChannelRegistry registry, MeterRegistry meters) {
        super("sender worker");
        Vertx vertx = vertx();
        WebClient api = WhatsAppClients.webClient(vertx, config.clientOptions(config.httpRequestTimeout()));
        closeAlso(api::close);
        Map<String, WhatsAppClient> clients = new HashMap<>();
        for (Channel channel : registry.all()) {
            clients.put(channel.id(), WhatsAppClients.create(api, channel.endpoint(),
                    config.clientOptions(config.httpRequestTimeout())));
        }
        TopicNames topics = config.topics();
        AdaptivePace pace = new AdaptivePace(vertx, registry.all(), config.paceSettings());
        SenderMetrics metrics = new SenderMetrics(meters);
        metrics.paceGauges(registry.ids(), pace);
        String clientId = "wabatch-sender-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(config, clientId, new HashMap<>(
                ChannelPartitioner.configFor(registry, List.of(topics.ready(), topics.deferred(), topics.results()))));
        producer.partitionsFor(topics.control()); // metadata fetched here, never on the event loop
        ChannelGate gate = new ChannelGate();
        metrics.channelGauges(registry.ids(), gate);
        io.vertx.core.Context context = vertx.getOrCreateContext();
        control = new ControlListener(KafkaClients.adminProperties(config), topics.control(),
                (channel, command) -> context.runOnContext(v -> apply(gate, channel, command)));
        BiConsumer<String, String> announce = (channel, reason) -> producer.send(new ChannelCommand(
                ChannelCommand.PAUSED, reason, "sender", Instant.now()).toRecord(topics.control(), channel));
        SendHandler handler = new SendHandler(vertx, pace, new PairPacer(vertx, config.pairWindow(), config.pairBurst()),
                gate, announce, clients::get, new Outputs(topics, "send"), new SendHandler.Policy(
                        new Backoff(config.retryInitial(), config.retryMax()), config.maxAttempts(),
                        config.pairBackoffBase(), config.resendInDoubt()), metrics, Clock.systemUTC());
        consumeWith(producer, new ConsumeProduceLoop("sender-worker", KafkaClients.consumer(config, clientId,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords())), producer,
                List.of(topics.ready()), context, handler, config.loopOptions()));
        closeAlso(control::close);
    }

    private static void apply(ChannelGate gate, String channel, ChannelCommand command) {
        if (command.paused()) {
            if (gate.pause(channel, command.reason())) {
                LOG.warn("channel {} paused by {}: {}", channel, command.by(), command.reason());
            }
        } else if (gate.paused(channel)) {
            LOG.info("channel {} resumed by {}", channel, command.by());
            gate.resume(channel);
        }
    }

    /**
     * Checks the topics and starts consuming.
     *
     * @throws TopicException when the topics are missing or misconfigured (nothing is started)
     */
    public static SenderWorker start(SenderWorkerConfig config, ChannelRegistry registry) throws TopicException {
        return start(config, registry, new SimpleMeterRegistry());
    }

    /** As {@link #start(SenderWorkerConfig, ChannelRegistry)}, registering meters in {@code meters}. */
    public static SenderWorker start(SenderWorkerConfig config, ChannelRegistry registry, MeterRegistry meters)
            throws TopicException {
        if (config.checkTopics()) {
            TopicNames names = config.topics();
            int partitions = registry.requiredPartitions();
            try (Admin admin = Admin.create(KafkaClients.adminProperties(config))) {
                Topics.check(admin, List.of(names.spec(names.ready(), partitions), names.spec(names.results(), partitions),
                        names.spec(names.deferred(), partitions), names.spec(names.dlq(), partitions),
                        names.spec(names.control(), partitions)), partitions);
            }
        }
        SenderWorker worker = new SenderWorker(config, registry, meters);
        // Apply the channel states already in wa.control (paused channels stay paused) before sending.
        worker.control.start().caughtUp().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        worker.startConsuming();
        LOG.info("sender worker started for channels {}", registry.ids());
        return worker;
    }
}
