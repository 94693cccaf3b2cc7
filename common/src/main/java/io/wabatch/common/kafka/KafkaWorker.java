package io.wabatch.common.kafka;

import io.vertx.core.Vertx;
import io.wabatch.common.config.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life cycle every worker shares: a Vert.x instance for its I/O, one producer, one
 * {@link ConsumeProduceLoop}, and the resources to release on close, in order: stop consuming
 * (draining and committing what is in flight), close the producer, the HTTP clients, Vert.x.
 */
public abstract class KafkaWorker implements WorkerProcess.Worker {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaWorker.class);

    private final String name;
    private final Vertx vertx = Vertx.vertx();
    private final List<Runnable> closers = new ArrayList<>();
    private Producer<byte[], byte[]> producer;
    private ConsumeProduceLoop loop;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    protected KafkaWorker(String name) {
        this.name = name;
    }

    /** The worker's Vert.x instance. */
    protected final Vertx vertx() {
        return vertx;
    }

    /** Registers the producer and the loop that this worker runs; call once from the constructor. */
    protected final void consumeWith(Producer<byte[], byte[]> producer, ConsumeProduceLoop loop) {
        this.producer = producer;
        this.loop = loop;
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

    /** Records in flight right now. */
    public final int inFlight() {
        return loop.inFlight();
    }

    /** Stops consuming, drains what is in flight, produces its output, commits, releases everything. */
    @Override
    public final void close() {
        if (loop != null) {
            loop.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        closers.forEach(Runnable::run);
        vertx.close().toCompletionStage().toCompletableFuture().join();
        LOG.info("{} stopped", name);
    }
}
