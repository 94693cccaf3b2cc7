package io.wabatch.common.service;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Vertx;
import io.wabatch.common.kafka.ConsumeProduceLoop;
import io.wabatch.common.kafka.ConsumerMetrics;
import io.wabatch.common.kafka.KafkaSettings;
import io.wabatch.common.metrics.Metric;
import io.wabatch.common.observe.Health;
import io.wabatch.common.observe.Observability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life cycle every worker shares: a Vert.x instance for its I/O, one producer, one
 * {@link ConsumeProduceLoop}, and the resources to release on close, in order: stop consuming
 * (draining and committing what is in flight), close the producer, the HTTP clients, Vert.x.
 *
 * <p>Its meters: Vert.x's ({@code vertx_*}), the Kafka client metrics of the loop's consumer and
 * producer ({@code kafka_consumer_*}, {@code kafka_producer_*}) and {@link Metric#KAFKA_CONSUMER_LAG}
 * per consumed topic. Its health: live while the loop has not failed; ready once started, a member
 * of its consumer group (with or without partitions) and in touch with the cluster.
 */
public abstract class KafkaWorker implements WorkerProcess.Worker {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaWorker.class);

    private final String name;
    private final String groupId;
    private final MeterRegistry meters;
    private final Vertx vertx;
    private final List<Runnable> closers = new ArrayList<>();
    private final List<Meter> ownMeters = new ArrayList<>();
    private final List<KafkaClientMetrics> clientMetrics = new ArrayList<>();
    private Producer<byte[], byte[]> producer;
    private ConsumeProduceLoop loop;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean consuming;
    private volatile boolean closing;

    /** @param meters where the worker's meters go, Vert.x's included */
    protected KafkaWorker(String name, KafkaSettings config, MeterRegistry meters) {
        this.name = name;
        this.groupId = config.groupId();
        this.meters = meters;
        this.vertx = Observability.vertx(meters);
    }

    /** The registry of the worker's meters. */
    protected final MeterRegistry meters() {
        return meters;
    }

    /**
     * Registers meters (gauges that read this worker's state) to remove on close, so that a worker
     * started again on the same registry is not shadowed by its predecessor's gauges.
     */
    protected final void ownsMeters(List<? extends Meter> registered) {
        ownMeters.addAll(registered);
    }

    /** The worker's Vert.x instance. */
    protected final Vertx vertx() {
        return vertx;
    }

    /**
     * Registers the producer and the loop that this worker runs, and binds their meters; call once
     * from the constructor. {@code consumer} is the loop's (owned by it): only its metrics are read.
     */
    protected final void consumeWith(Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> consumer,
                                     ConsumeProduceLoop loop) {
        this.producer = producer;
        this.loop = loop;
        // Both clients share the worker's client.id: the kafka.client tag keeps their app-info meters apart.
        for (KafkaClientMetrics binder : List.of(new KafkaClientMetrics(consumer, Tags.of("kafka.client", "consumer")),
                new KafkaClientMetrics(producer, Tags.of("kafka.client", "producer")))) {
            binder.bindTo(meters);
            clientMetrics.add(binder);
        }
        for (String topic : loop.topics()) {
            ownMeters.add(Metric.KAFKA_CONSUMER_LAG.gauge(meters,
                    () -> ConsumerMetrics.lag(loop.consumerMetrics(), topic), "group", groupId, "topic", topic));
        }
    }

    /** Registers a resource to release on close, after the loop and the producer. */
    protected final void closeAlso(Runnable closer) {
        closers.add(closer);
    }

    /**
     * Registers a part that runs beside the loop on its own thread: when it fails, the worker has
     * failed ({@link #terminated()} completes with its error, so the process exits and restarts).
     */
    protected final void runsAlongside(CompletableFuture<Void> partTerminated) {
        partTerminated.whenComplete((v, error) -> {
            if (error != null) {
                terminated.completeExceptionally(error);
            }
        });
    }

    /** Starts consuming. */
    protected final void startConsuming() {
        loop.terminated().whenComplete((v, error) -> {
            if (error != null) {
                terminated.completeExceptionally(error);
            } else {
                terminated.complete(null);
            }
        });
        loop.start();
        consuming = true;
    }

    /** Completes when the consumer has its first partition assignment. */
    public final CompletableFuture<Void> assigned() {
        return loop.assigned();
    }

    @Override
    public final CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** The error that stopped consuming, or null while healthy. */
    public final Throwable failure() {
        Throwable error = terminated.handle((v, e) -> e).getNow(null);
        if (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return error != null ? error : loop.failure();
    }

    /** Alive until the loop (or a part beside it) has failed; then the process must be restarted. */
    @Override
    public final Health live() {
        return Health.of("loop", failure() == null);
    }

    /**
     * Ready once the channel registry is loaded and the worker started (caches restored, control state
     * applied), while its consumer is a member of its group (an instance without partitions is ready
     * too) and in touch with the cluster, until it closes. The WhatsApp API is never probed.
     */
    @Override
    public final Health ready() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("registry", true); // a worker exists only with its channel registry loaded
        checks.put("started", consuming && !closing);
        checks.put("group", loop != null && loop.member());
        checks.put("kafka", loop != null && ConsumerMetrics.reachable(loop.consumerMetrics()));
        checks.put("loop", failure() == null);
        return new Health(checks);
    }

    /** Records in flight right now. */
    public final int inFlight() {
        return loop.inFlight();
    }

    /** Stops consuming, drains what is in flight, produces its output, commits, releases everything. */
    @Override
    public final void close() {
        closing = true;
        if (loop != null) {
            loop.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        closers.forEach(Runnable::run);
        clientMetrics.forEach(KafkaClientMetrics::close);
        ownMeters.forEach(meters::remove);
        vertx.close().toCompletionStage().toCompletableFuture().join();
        LOG.info("{} stopped", name);
    }
}
