package io.wabatch.common.kafka;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs polled records through the {@link RecordHandler} on the loop's Vert.x context, as many at once
 * as arrive, except that a record sharing an ordering key with an earlier record of its partition
 * starts only when that one is done. Reports each record, once done, as a {@link LoopEvent.Handled}
 * (its output, or the handler's failure output) before releasing its successors, so successors'
 * output is always produced after it. Everything but {@link #dispatch} runs on the context.
 */
final class RecordDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(RecordDispatcher.class);

    private final Context context;
    private final RecordHandler handler;
    private final Consumer<LoopEvent> events;
    private final KeyOrdering ordering = new KeyOrdering();

    RecordDispatcher(Context context, RecordHandler handler, Consumer<LoopEvent> events) {
        this.context = context;
        this.handler = handler;
        this.events = events;
    }

    /** Hands a partition's polled records, in offset order, to the context. Any thread. */
    void dispatch(PartitionState state, List<ConsumerRecord<byte[], byte[]>> records) {
        context.runOnContext(v -> records.forEach(record -> admit(state, record)));
    }

    private void admit(PartitionState state, ConsumerRecord<byte[], byte[]> record) {
        Promise<Void> done = Promise.promise();
        Collection<String> keys;
        try {
            keys = handler.orderingKeys(record);
        } catch (RuntimeException e) {
            LOG.error("orderingKeys failed for {}-{}@{}; handling it as failed", record.topic(), record.partition(),
                    record.offset(), e);
            finish(state, record, Future.failedFuture(e), done);
            return;
        }
        Future<?> ready = ordering.admit(state.partition(), keys, done.future());
        if (ready.isComplete()) {
            run(state, record, done);
        } else {
            // Through the context's queue: a long chain of one key must not recurse.
            ready.onComplete(ar -> context.runOnContext(v -> run(state, record, done)));
        }
    }

    private void run(PartitionState state, ConsumerRecord<byte[], byte[]> record, Promise<Void> done) {
        if (state.revoked()) {
            events.accept(new LoopEvent.Handled(state, record.offset(), List.of()));
            done.complete();
            return;
        }
        Future<List<ProducerRecord<byte[], byte[]>>> result;
        try {
            result = handler.handle(record);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        if (result == null) {
            result = Future.failedFuture(new NullPointerException("handle returned null"));
        }
        result.onComplete(ar -> context.runOnContext(v -> finish(state, record, ar, done)));
    }

    private void finish(PartitionState state, ConsumerRecord<byte[], byte[]> record,
                        AsyncResult<List<ProducerRecord<byte[], byte[]>>> result, Promise<Void> done) {
        try {
            List<ProducerRecord<byte[], byte[]>> outputs = result.succeeded() && result.result() != null
                    ? result.result()
                    : handler.onUnexpectedFailure(record, result.succeeded()
                            ? new NullPointerException("handle completed with null") : result.cause());
            events.accept(new LoopEvent.Handled(state, record.offset(), List.copyOf(outputs)));
        } catch (RuntimeException e) {
            events.accept(new LoopEvent.Failed(state, record.offset(), "onUnexpectedFailure failed", e));
        } finally {
            done.complete();
        }
    }
}
