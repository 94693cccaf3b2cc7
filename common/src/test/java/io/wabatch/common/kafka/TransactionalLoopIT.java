package io.wabatch.common.kafka;

import static io.wabatch.common.kafka.LoopTestKit.committed;
import static io.wabatch.common.kafka.LoopTestKit.id;
import static io.wabatch.common.kafka.LoopTestKit.produceInputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.wabatch.common.kafka.LoopTestKit.OutputReader;
import io.wabatch.common.kafka.LoopTestKit.ScriptedHandler;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The transactional loop against a real broker: crashes, fencing, aborts, seen by read_committed consumers. */
// Measures rates or time bounds: runs alone, not beside another test class.
@org.junit.jupiter.api.parallel.Isolated
@Tag("slow")
class TransactionalLoopIT {

    private static final Function<ConsumerRecord<byte[], byte[]>, Collection<String>> NO_KEYS = record -> List.of();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(2);

    private static Vertx vertx;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final String in = KafkaTestBroker.uniqueTopic("txloop-in");
    private final String out = KafkaTestBroker.uniqueTopic("txloop-out");
    private final String group = KafkaTestBroker.uniqueTopic("txloop-group");
    private Context context;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().await();
    }

    @BeforeEach
    void newContext() {
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void closeResources() throws Exception {
        Collections.reverse(resources);
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @ParameterizedTest(name = "successor with the same transactional.id: {0}")
    @ValueSource(booleans = {true, false})
    @Timeout(90)
    void aLoopKilledMidStreamIsFinishedByItsSuccessorWithExactlyOneCommittedOutputPerInput(boolean sameId)
            throws Exception {
        int count = 500;
        topics(2);
        produceInputs(in, 2, count, i -> null);
        // Out of order (20-80 ms each, ~1.5 s in all), and a few low records that never finish in the first loop.
        Set<String> stuckOnce = Set.of("0:7", "0:90", "1:20");
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        Function<ConsumerRecord<byte[], byte[]>, Future<?>> work = record -> attempted.add(id(record))
                && stuckOnce.contains(id(record)) ? Promise.promise().future() : vertx.timer(20 + record.offset() * 37 % 60);
        KafkaProducer<byte[], byte[]> firstProducer = LoopTestKit.transactionalProducer("tx-" + group + "-1",
                TRANSACTION_TIMEOUT);
        resources.add(() -> firstProducer.close(Duration.ZERO));
        AtomicBoolean crash = new AtomicBoolean();
        ScriptedHandler first = new ScriptedHandler(out, work, NO_KEYS);
        ConsumeProduceLoop loop = startLoop(first, crashingOnCommit(firstProducer, crash), Duration.ofMillis(500));
        OutputReader uncommitted = reader("read_uncommitted");
        OutputReader committedOnly = reader("read_committed");
        await("some transactions committed").atMost(WAIT).pollInSameThread()
                .until(() -> committedOnly.read().size() >= 100);

        crash.set(true);
        await("crashed").atMost(WAIT).until(() -> loop.terminated().isDone());
        if (!sameId) {
            firstProducer.close(Duration.ZERO); // no abort: the open transaction stays open until it times out
        }
        ScriptedHandler second = new ScriptedHandler(out, work, NO_KEYS);
        KafkaProducer<byte[], byte[]> secondProducer = LoopTestKit.transactionalProducer(
                "tx-" + group + (sameId ? "-1" : "-2"), TRANSACTION_TIMEOUT);
        resources.add(secondProducer);
        ConsumeProduceLoop successor = startLoop(second, secondProducer, LoopOptions.DEFAULT_COMMIT_INTERVAL);

        await("committed to the end").atMost(WAIT).until(() -> committed(group).equals(Map.of(0, (long) count, 1,
                (long) count)));
        // With a new id, the predecessor's open transaction holds read_committed back until it times out.
        await("every output visible").atMost(WAIT).pollInSameThread()
                .until(() -> committedOnly.readToEnd().size() >= 2 * count);
        List<String> outputs = committedOnly.readToEnd();
        assertThat(outputs).as("exactly one committed output per input").hasSize(2 * count).doesNotHaveDuplicates()
                .containsAll(everyInput(2, count));
        assertThat(uncommitted.readToEnd()).as("the open transaction's output was written, then aborted")
                .hasSizeGreaterThan(2 * count);
        assertThat(second.calls).as("the stuck records, not the done ones above them").containsAll(stuckOnce)
                .hasSizeLessThan(2 * count - 100);
        assertThat(successor.failure()).isNull();
        if (sameId) {
            assertThatThrownBy(firstProducer::commitTransaction).as("the predecessor is fenced")
                    .isInstanceOfAny(ProducerFencedException.class, InvalidProducerEpochException.class);
        }
    }

    @Test
    @Timeout(90)
    void aZombieThatWakesUpAfterItsSuccessorTookOverStopsWithoutCommittingAnything() throws Exception {
        int count = 200;
        topics(2);
        produceInputs(in, 2, count, i -> null);
        Function<ConsumerRecord<byte[], byte[]>, Future<?>> work = record -> vertx.timer(1 + record.offset() * 37 % 40);
        CountDownLatch wake = new CountDownLatch(1);
        AtomicBoolean frozen = new AtomicBoolean();
        resources.add(wake::countDown);
        String transactionalId = "tx-" + group;
        KafkaProducer<byte[], byte[]> zombieClient = LoopTestKit.transactionalProducer(transactionalId, TRANSACTION_TIMEOUT);
        resources.add(zombieClient);
        Producer<byte[], byte[]> zombieProducer = freezingOnCommit(zombieClient, frozen, wake);
        ScriptedHandler first = new ScriptedHandler(out, work, NO_KEYS);
        // Frozen in a commit for longer than max.poll.interval.ms, the member leaves the group.
        ConsumeProduceLoop zombie = startLoop(first, zombieProducer, LoopOptions.DEFAULT_COMMIT_INTERVAL,
                Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 3_000));
        OutputReader committedOnly = reader("read_committed");
        await("mid-stream").atMost(WAIT).pollInSameThread().until(() -> committedOnly.read().size() >= 50);
        frozen.set(true);

        ScriptedHandler second = new ScriptedHandler(out, work, NO_KEYS);
        KafkaProducer<byte[], byte[]> successorProducer = LoopTestKit.transactionalProducer(transactionalId,
                TRANSACTION_TIMEOUT);
        resources.add(successorProducer);
        ConsumeProduceLoop successor = startLoop(second, successorProducer, LoopOptions.DEFAULT_COMMIT_INTERVAL);
        await("the successor committed to the end").atMost(WAIT).until(() -> committed(group)
                .equals(Map.of(0, (long) count, 1, (long) count)));
        wake.countDown();

        await("the zombie stopped").atMost(WAIT).until(() -> zombie.terminated().isDone());
        assertThat(zombie.failure()).as("fenced")
                .isInstanceOfAny(ProducerFencedException.class, InvalidProducerEpochException.class);
        assertThat(committedOnly.readToEnd()).as("exactly one committed output per input").hasSize(2 * count)
                .doesNotHaveDuplicates().containsAll(everyInput(2, count));
        assertThat(successor.failure()).isNull();
    }

    @Test
    @Timeout(90)
    void theOutputOfAnAbortedTransactionIsNeverVisibleToReadCommitted() throws Exception {
        int count = 100;
        topics(1);
        produceInputs(in, 1, count, i -> null);
        // Record 60's output is larger than the producer may send: the send fails and the loop stops.
        ScriptedHandler scripted = new ScriptedHandler(out, record -> vertx.timer(record.offset() == 60 ? 300 : 1),
                NO_KEYS);
        RecordHandler failing = new RecordHandler() {
            @Override
            public Future<List<ProducerRecord<byte[], byte[]>>> handle(ConsumerRecord<byte[], byte[]> record) {
                return record.offset() != 60 ? scripted.handle(record)
                        : scripted.handle(record).map(List.of(new ProducerRecord<>(out, new byte[2 * 1024 * 1024])));
            }

            @Override
            public List<ProducerRecord<byte[], byte[]>> onUnexpectedFailure(ConsumerRecord<byte[], byte[]> record,
                                                                            Throwable error) {
                return scripted.onUnexpectedFailure(record, error);
            }
        };
        OutputReader uncommitted = reader("read_uncommitted");
        OutputReader committedOnly = reader("read_committed");
        KafkaProducer<byte[], byte[]> failingProducer = LoopTestKit.transactionalProducer("tx-" + group + "-1",
                TRANSACTION_TIMEOUT);
        resources.add(failingProducer);
        ConsumeProduceLoop loop = startLoop(failing, failingProducer, Duration.ofMinutes(1));

        await("the loop stopped").atMost(WAIT).until(() -> loop.terminated().isDone());
        assertThat(loop.failure()).isInstanceOf(RecordTooLargeException.class);
        assertThat(uncommitted.readToEnd()).as("written in the aborted transaction").hasSizeGreaterThanOrEqualTo(60);
        assertThat(committedOnly.readToEnd()).as("and never visible").isEmpty();
        assertThat(committed(group)).as("nothing committed").isEmpty();

        ScriptedHandler fixed = new ScriptedHandler(out, record -> vertx.timer(1), NO_KEYS);
        KafkaProducer<byte[], byte[]> fixedProducer = LoopTestKit.transactionalProducer("tx-" + group + "-2",
                TRANSACTION_TIMEOUT);
        resources.add(fixedProducer);
        startLoop(fixed, fixedProducer, LoopOptions.DEFAULT_COMMIT_INTERVAL);
        await("committed to the end").atMost(WAIT).until(() -> committed(group).equals(Map.of(0, (long) count)));
        assertThat(committedOnly.readToEnd()).hasSize(count).doesNotHaveDuplicates().containsAll(everyInput(1, count));
    }

    @Test
    @Timeout(90)
    void outputWaitsWhileItsDoneSetWouldNotFitTheCommitMetadataAndNothingIsEverTruncated() throws Exception {
        int count = 3_000;
        topics(1);
        produceInputs(in, 1, count, i -> null);
        // Every even record waits: the done set alternates, two characters per record, far beyond 4 KB.
        Map<Long, Promise<Void>> held = new ConcurrentHashMap<>();
        ScriptedHandler handler = new ScriptedHandler(out, record -> record.offset() % 2 == 0
                ? held.computeIfAbsent(record.offset(), o -> Promise.promise()).future() : vertx.timer(1), NO_KEYS);
        KafkaProducer<byte[], byte[]> producer = LoopTestKit.transactionalProducer("tx-" + group, TRANSACTION_TIMEOUT);
        resources.add(producer);
        ConsumeProduceLoop loop = new ConsumeProduceLoop("txloop-" + group, LoopTestKit.consumer(group, 500, Map.of()),
                producer, List.of(in), context, handler, new LoopOptions(count, Duration.ofSeconds(5),
                LoopOptions.DEFAULT_COMMIT_INTERVAL, true));
        resources.add(loop);
        loop.start();
        OutputReader committedOnly = reader("read_committed");

        await("every record handled, the odd ones' output committed as far as their done set fits").atMost(WAIT)
                .pollInSameThread().until(() -> handler.calls.size() == count && !committedOnly.readToEnd().isEmpty()
                        && LoopTestKit.committedWithMetadata(group).containsKey(0));
        await("stable").atMost(WAIT).during(Duration.ofMillis(600)).pollInSameThread()
                .until(() -> committedOnly.readToEnd().size() == committedOnly.read().size());
        int visible = committedOnly.readToEnd().size();
        String metadata = LoopTestKit.committedWithMetadata(group).get(0).metadata();
        assertThat(metadata).hasSizeLessThanOrEqualTo(DoneOffsets.MAX_LENGTH).hasSizeGreaterThan(DoneOffsets.MAX_LENGTH - 8);
        assertThat(DoneOffsets.decode(0, metadata)).as("each committed output in the committed done set")
                .hasSize(visible);
        assertThat(visible).as("the others wait, in flight").isLessThan(count / 2);
        assertThat(loop.inFlight()).isEqualTo(count - visible);

        context.runOnContext(v -> LongStream.range(0, count).filter(o -> o % 2 == 0)
                .forEach(o -> held.computeIfAbsent(o, x -> Promise.promise()).complete()));
        await("committed to the end").atMost(WAIT).until(() -> committed(group).equals(Map.of(0, (long) count)));
        assertThat(committedOnly.readToEnd()).hasSize(count).doesNotHaveDuplicates().containsAll(everyInput(1, count));
        assertThat(loop.failure()).isNull();
    }

    private void topics(int inputPartitions) {
        KafkaTestBroker.createTopic(in, inputPartitions);
        KafkaTestBroker.createTopic(out, 1);
    }

    private ConsumeProduceLoop startLoop(RecordHandler handler, Producer<byte[], byte[]> producer,
                                         Duration commitInterval) throws Exception {
        return startLoop(handler, producer, commitInterval, Map.of());
    }

    /** Starts a loop; the test closes {@code producer}. */
    private ConsumeProduceLoop startLoop(RecordHandler handler, Producer<byte[], byte[]> producer, Duration commitInterval,
                                         Map<String, Object> consumerExtra) throws Exception {
        ConsumeProduceLoop loop = new ConsumeProduceLoop("txloop-" + group, LoopTestKit.consumer(group, 50,
                consumerExtra), producer, List.of(in), context, handler, new LoopOptions(32, Duration.ofSeconds(5),
                commitInterval, true));
        resources.add(loop);
        loop.start();
        loop.assigned().get(30, TimeUnit.SECONDS);
        return loop;
    }

    private OutputReader reader(String isolation) {
        OutputReader reader = new OutputReader(out, 1, isolation);
        resources.add(reader);
        return reader;
    }

    private static Set<String> everyInput(int partitions, int count) {
        return IntStream.range(0, partitions).boxed()
                .flatMap(p -> IntStream.range(0, count).mapToObj(i -> p + ":" + i)).collect(Collectors.toSet());
    }

    /**
     * {@code producer}, as used by a process that dies, once {@code crash} is set, in its next commit of a
     * transaction with output: its output is flushed, and neither its offsets nor the end of the transaction
     * reach the broker. That commit fails, every later call does nothing.
     */
    @SuppressWarnings("unchecked")
    private static Producer<byte[], byte[]> crashingOnCommit(Producer<byte[], byte[]> producer, AtomicBoolean crash) {
        AtomicBoolean dead = new AtomicBoolean();
        AtomicInteger sendsSinceCommit = new AtomicInteger();
        return (Producer<byte[], byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
                new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    if (dead.get()) {
                        return null;
                    }
                    switch (method.getName()) {
                        case "send" -> sendsSinceCommit.incrementAndGet();
                        case "commitTransaction" -> sendsSinceCommit.set(0);
                        case "sendOffsetsToTransaction" -> {
                            if (crash.get() && sendsSinceCommit.get() > 0) {
                                dead.set(true);
                                throw new KafkaException("test: the process died here");
                            }
                        }
                        default -> {
                        }
                    }
                    try {
                        return method.invoke(producer, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** {@code producer}, whose {@code sendOffsetsToTransaction} waits for {@code wake} while {@code frozen}. */
    @SuppressWarnings("unchecked")
    private static Producer<byte[], byte[]> freezingOnCommit(Producer<byte[], byte[]> producer, AtomicBoolean frozen,
                                                            CountDownLatch wake) {
        return (Producer<byte[], byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
                new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendOffsetsToTransaction") && frozen.get()) {
                        wake.await();
                    }
                    try {
                        return method.invoke(producer, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
