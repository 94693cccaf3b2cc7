package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Key ordering as the loop sees it: handler calls and the order of the reported outputs. */
@Timeout(30)
class RecordDispatcherTest {

    private static Vertx vertx;

    private final ConcurrentLinkedQueue<LoopEvent> events = new ConcurrentLinkedQueue<>();
    private final PartitionState state = new PartitionState(new TopicPartition("jobs", 0));

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().await();
    }

    @Test
    void recordsSharingAKeyAreHandledOneAtATimeInOffsetOrder() {
        // Record i of 40 takes (40 - i) * 5 ms: left alone, later records would finish first.
        Handler handler = new Handler(record -> (40 - record.offset()) * 5);
        new RecordDispatcher(vertx.getOrCreateContext(), handler, events::add).dispatch(state, records(40, i -> "r" + i % 4));

        await("all handled").atMost(Duration.ofSeconds(20)).until(() -> events.size() == 40);
        for (int key = 0; key < 4; key++) {
            String recipient = "r" + key;
            assertThat(handledOffsets(recipient)).as(recipient).isSorted().hasSize(10);
        }
        assertThat(handler.maxConcurrentPerKey).allSatisfy((key, max) -> assertThat(max).as(key).isEqualTo(1));
        assertThat(handledOffsets(null)).as("recipients do not wait for each other").isNotEqualTo(
                IntStream.range(0, 40).boxed().map(Integer::longValue).toList());
    }

    @Test
    void recordsWithoutKeysRunConcurrently() {
        Handler handler = new Handler(record -> record.offset() == 0 ? 1_000 : 1);
        new RecordDispatcher(vertx.getOrCreateContext(), handler, events::add).dispatch(state, records(50, i -> null));

        await("the 49 fast records").atMost(Duration.ofSeconds(5)).until(() -> events.size() == 49);
        assertThat(handledOffsets(null)).doesNotContain(0L);
        await("the slow record").atMost(Duration.ofSeconds(5)).until(() -> events.size() == 50);
    }

    @Test
    void aFailingHandlerProducesItsFailureOutputAndABrokenOneFailsTheRecord() {
        RecordHandler failing = new RecordHandler() {
            @Override
            public Future<List<ProducerRecord<byte[], byte[]>>> handle(ConsumerRecord<byte[], byte[]> record) {
                throw new IllegalStateException("bug " + record.offset());
            }

            @Override
            public List<ProducerRecord<byte[], byte[]>> onUnexpectedFailure(ConsumerRecord<byte[], byte[]> record,
                                                                            Throwable error) {
                if (record.offset() == 1) {
                    throw new IllegalArgumentException("broken");
                }
                return List.of(new ProducerRecord<>("dlq", error.getMessage().getBytes(StandardCharsets.UTF_8)));
            }
        };
        new RecordDispatcher(vertx.getOrCreateContext(), failing, events::add).dispatch(state, records(2, i -> "k"));

        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
        List<LoopEvent> all = new ArrayList<>(events);
        assertThat(all.get(0)).isInstanceOfSatisfying(LoopEvent.Handled.class,
                handled -> assertThat(new String(handled.outputs().get(0).value(), StandardCharsets.UTF_8)).isEqualTo("bug 0"));
        assertThat(all.get(1)).isInstanceOfSatisfying(LoopEvent.Failed.class,
                failed -> assertThat(failed.error()).hasMessage("broken"));
    }

    @Test
    void recordsOfARevokedPartitionAreSkipped() {
        Handler handler = new Handler(record -> 1);
        state.revoke();
        new RecordDispatcher(vertx.getOrCreateContext(), handler, events::add).dispatch(state, records(3, i -> "k"));

        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 3);
        assertThat(handler.calls).isEmpty();
        assertThat(events).allSatisfy(event -> assertThat(((LoopEvent.Handled) event).outputs()).isEmpty());
    }

    private List<Long> handledOffsets(String key) {
        return events.stream().map(LoopEvent.Handled.class::cast)
                .filter(handled -> key == null || key.equals(handled.outputs().get(0).topic()))
                .map(LoopEvent::offset).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(int count, java.util.function.IntFunction<String> key) {
        return IntStream.range(0, count).mapToObj(i -> new ConsumerRecord<>("jobs", 0, i,
                key.apply(i) == null ? null : key.apply(i).getBytes(StandardCharsets.UTF_8), new byte[0])).toList();
    }

    /** Completes each record after a delay; its output goes to a "topic" named after its key. */
    private static final class Handler implements RecordHandler {

        private final java.util.function.ToLongFunction<ConsumerRecord<byte[], byte[]>> delayMs;
        private final Map<String, Integer> running = new ConcurrentHashMap<>();
        private final Map<String, Integer> maxConcurrentPerKey = new ConcurrentHashMap<>();
        private final Set<Long> calls = ConcurrentHashMap.newKeySet();

        Handler(java.util.function.ToLongFunction<ConsumerRecord<byte[], byte[]>> delayMs) {
            this.delayMs = delayMs;
        }

        @Override
        public Collection<String> orderingKeys(ConsumerRecord<byte[], byte[]> record) {
            return record.key() == null ? List.of() : List.of(key(record));
        }

        @Override
        public Future<List<ProducerRecord<byte[], byte[]>>> handle(ConsumerRecord<byte[], byte[]> record) {
            calls.add(record.offset());
            String key = key(record);
            int now = running.merge(key, 1, Integer::sum);
            maxConcurrentPerKey.merge(key, now, Math::max);
            return vertx.timer(delayMs.applyAsLong(record)).map(v -> {
                running.merge(key, -1, Integer::sum);
                return List.of(new ProducerRecord<>(key, record.value()));
            });
        }

        @Override
        public List<ProducerRecord<byte[], byte[]>> onUnexpectedFailure(ConsumerRecord<byte[], byte[]> record,
                                                                        Throwable error) {
            return List.of();
        }

        private static String key(ConsumerRecord<byte[], byte[]> record) {
            return record.key() == null ? "none" : new String(record.key(), StandardCharsets.UTF_8);
        }
    }
}
