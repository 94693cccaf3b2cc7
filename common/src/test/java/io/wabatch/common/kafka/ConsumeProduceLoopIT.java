package io.wabatch.common.kafka;

import static io.wabatch.common.kafka.LoopTestKit.committed;
import static io.wabatch.common.kafka.LoopTestKit.members;
import static io.wabatch.common.kafka.LoopTestKit.produceInputs;
import static io.wabatch.common.kafka.LoopTestKit.produceToPartition;
import static io.wabatch.common.kafka.LoopTestKit.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.wabatch.common.kafka.LoopTestKit.OutputReader;
import io.wabatch.common.kafka.LoopTestKit.ScriptedHandler;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop against a real broker: concurrency, key order, commits, the window, suspensions, restarts. */
// Measures rates or time bounds: runs alone, not beside another test class.
@org.junit.jupiter.api.parallel.Isolated
@Tag("slow")
class ConsumeProduceLoopIT {

    private static final Function<ConsumerRecord<byte[], byte[]>, Collection<String>> NO_KEYS = record -> List.of();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Vertx vertx;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final String in = KafkaTestBroker.uniqueTopic("loop-in");
    private final String out = KafkaTestBroker.uniqueTopic("loop-out");
    private final String group = KafkaTestBroker.uniqueTopic("loop-group");
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

    @Test
    @Timeout(90)
    void aSlowRecordDoesNotDelayTheRecordsBehindIt() throws Exception {
        topics(1, 1);
        produceInputs(in, 1, 201, i -> "+49151" + i);
        AtomicBoolean slowDone = new AtomicBoolean();
        ScriptedHandler handler = new ScriptedHandler(out, record -> record.offset() == 0
                ? vertx.timer(3_000).onSuccess(t -> slowDone.set(true)) : vertx.timer(1),
                record -> List.of(text(record.key())));
        startLoop(handler, LoopOptions.withDrainTimeout(Duration.ofSeconds(5)), 500, Map.of());
        OutputReader reader = reader(1);

        await("the 200 records behind the slow one").atMost(WAIT).pollInSameThread()
                .until(() -> reader.read().size() >= 200);
        assertThat(slowDone).as("the slow record is still pending").isFalse();
        assertThat(reader.read()).hasSize(200).doesNotContain("0:0");
        assertThat(committed(group).getOrDefault(0, 0L)).as("nothing committed past the slow head").isZero();

        await("the slow record's output").atMost(WAIT).pollInSameThread().until(() -> reader.read().contains("0:0"));
        await("committed to the end").atMost(WAIT).until(() -> Objects.equals(committed(group).get(0), 201L));
    }

    @Test
    @Timeout(90)
    void recordsSharingARecipientAreOutputInOffsetOrderEvenWhenLaterOnesFinishFirst() throws Exception {
        int count = 60;
        // Three recipients, and every tenth record a batch for all three.
        Function<Integer, String> keyOf = i -> i % 10 == 5 ? "r0,r1,r2" : "r" + i % 3;
        topics(1, 1);
        produceInputs(in, 1, count, keyOf);
        ScriptedHandler handler = new ScriptedHandler(out, record -> vertx.timer((count - record.offset()) * 3 + 1),
                record -> Arrays.asList(text(record.key()).split(",")));
        startLoop(handler, LoopOptions.withDrainTimeout(Duration.ofSeconds(5)), 500, Map.of());
        OutputReader reader = reader(1);

        await("every output").atMost(WAIT).pollInSameThread().until(() -> reader.read().size() == count);
        List<String> outputs = reader.read();
        for (int i = 0; i < count; i++) {
            for (int j = i + 1; j < count; j++) {
                if (shareKey(keyOf.apply(i), keyOf.apply(j))) {
                    assertThat(outputs.indexOf("0:" + i)).as("output of %d before %d", i, j)
                            .isLessThan(outputs.indexOf("0:" + j));
                }
            }
        }
        assertThat(outputs).as("records of different recipients did not wait for each other")
                .isNotEqualTo(IntStream.range(0, count).mapToObj(i -> "0:" + i).toList());
    }

    @Test
    @Timeout(90)
    void theCommittedOffsetNeverPassesAnUnfinishedRecord() throws Exception {
        topics(1, 1);
        produceInputs(in, 1, 100, i -> null);
        Map<Long, Promise<Void>> held = new ConcurrentHashMap<>();
        ScriptedHandler handler = new ScriptedHandler(out, record -> {
            if (record.offset() == 30 || record.offset() == 60) {
                return held.computeIfAbsent(record.offset(), o -> Promise.promise()).future();
            }
            return vertx.timer(1);
        }, NO_KEYS);
        ConsumeProduceLoop loop = startLoop(handler, LoopOptions.withDrainTimeout(Duration.ofSeconds(5)), 500, Map.of());
        OutputReader reader = reader(1);
        AtomicLong highestCommitted = sampleCommitted();

        await("98 outputs").atMost(WAIT).pollInSameThread().until(() -> reader.read().size() == 98);
        await("commit up to the first unfinished record").atMost(WAIT).until(() -> committedOffset() == 30);
        held.get(60L).complete();
        await("the output of 60").atMost(WAIT).pollInSameThread().until(() -> reader.read().contains("0:60"));
        await("30 still holds the commit back").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> committedOffset() == 30);
        assertThat(highestCommitted).as("never committed past 30").hasValueLessThanOrEqualTo(30);

        held.get(30L).complete();
        await("committed to the end").atMost(WAIT).until(() -> committedOffset() == 100);
        assertThat(loop.inFlight()).isZero();
    }

    @Test
    @Timeout(120)
    void theWindowBoundsRecordsInFlightAndPollingContinuesWhileItIsFull() throws Exception {
        int window = 40;
        int maxPollRecords = 10;
        topics(2, 1);
        produceInputs(in, 2, 200, i -> null);
        Queue<Promise<Void>> held = new ConcurrentLinkedQueue<>();
        AtomicBoolean holding = new AtomicBoolean(true);
        ScriptedHandler handler = new ScriptedHandler(out, record -> {
            if (!holding.get()) {
                return vertx.timer(1);
            }
            Promise<Void> promise = Promise.promise();
            held.add(promise);
            return promise.future();
        }, NO_KEYS);
        // A member that stops polling for 2 s leaves the group: a full window must not stop polling.
        ConsumeProduceLoop loop = startLoop(handler, new LoopOptions(window, Duration.ofSeconds(1),
                LoopOptions.DEFAULT_COMMIT_INTERVAL), maxPollRecords, Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 2_000));
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicInteger maxPending = new AtomicInteger();
        long sampler = vertx.setPeriodic(1, id -> {
            maxInFlight.accumulateAndGet(loop.inFlight(), Math::max);
            maxPending.accumulateAndGet(loop.pending(), Math::max);
        });
        resources.add(() -> vertx.cancelTimer(sampler));

        await("the window fills and both partitions pause").atMost(WAIT).during(Duration.ofMillis(500))
                .until(() -> loop.inFlight() == window && loop.pending() >= 2 * window);
        int waiting = loop.pending();
        List<String> membersWhenFull = members(group);
        await("paused, still polled and a member for over twice max.poll.interval.ms").during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(10))
                .until(() -> loop.inFlight() == window && loop.pending() == waiting && loop.failure() == null);
        assertThat(members(group)).hasSize(1).isEqualTo(membersWhenFull);
        assertThat(waiting).as("per partition: the window plus one poll at most")
                .isLessThanOrEqualTo(2 * (window + maxPollRecords - 1));

        context.runOnContext(v -> {
            holding.set(false);
            held.forEach(Promise::complete);
        });
        OutputReader reader = reader(1);
        await("every output").atMost(WAIT).pollInSameThread().until(() -> reader.read().size() == 400);
        assertThat(maxInFlight.get()).as("never more than the window").isEqualTo(window);
        assertThat(maxPending.get()).isLessThanOrEqualTo(2 * (window + maxPollRecords - 1));
        assertThat(handler.calls).as("no record redelivered: no rebalance").hasSize(400).doesNotHaveDuplicates();
        assertThat(members(group)).isEqualTo(membersWhenFull);
        await("committed to the end").atMost(WAIT).until(() -> committed(group).equals(Map.of(0, 200L, 1, 200L)));
    }

    @Test
    @Timeout(120)
    void aBackloggedPartitionDoesNotStarveTheOthers() throws Exception {
        topics(2, 1);
        produceInputs(in, 0, 2_000);
        ScriptedHandler handler = new ScriptedHandler(out, record -> vertx.timer(record.partition() == 0 ? 100 : 1),
                NO_KEYS);
        // The consumer hands out one partition's fetched backlog before the next partition's records.
        startLoop(handler, new LoopOptions(40, Duration.ofSeconds(1), LoopOptions.DEFAULT_COMMIT_INTERVAL), 100,
                Map.of());
        OutputReader reader = reader(1);
        await("partition 0 flowing").atMost(WAIT).pollInSameThread().until(() -> reader.read().size() >= 10);

        produceInputs(in, 1, 100);
        await("partition 1's records").atMost(WAIT).pollInSameThread()
                .until(() -> reader.read().stream().filter(id -> id.startsWith("1:")).count() == 100);
        assertThat(reader.read().stream().filter(id -> id.startsWith("0:")).count())
                .as("partition 1 did not wait for partition 0's backlog").isLessThan(1_000);
    }

    @Test
    @Timeout(90)
    void aSuspendedPartitionsRecordsInFlightLeaveTheWindowToTheOthersAndFinishOnceAfterItsResume() throws Exception {
        int window = 10;
        TopicPartition waiting = new TopicPartition(in, 0);
        topics(2, 1);
        // Partition 0's records first, so that they take the whole window; three recipients keep their order.
        produceToPartition(in, 0, 30, i -> "r" + i % 3);
        Map<Long, Promise<Void>> held = new ConcurrentHashMap<>();
        ScriptedHandler handler = new ScriptedHandler(out, record -> record.partition() == 0
                ? held.computeIfAbsent(record.offset(), o -> Promise.promise()).future() : vertx.timer(1),
                record -> record.key() == null ? List.of() : List.of(text(record.key())));
        ConsumeProduceLoop loop = startLoop(handler, new LoopOptions(window, Duration.ofSeconds(1),
                LoopOptions.DEFAULT_COMMIT_INTERVAL), 500, Map.of());
        OutputReader reader = reader(1);
        AtomicLong highestCommitted = sampleCommitted();
        AtomicInteger maxInWindow = new AtomicInteger();
        long sampler = vertx.setPeriodic(1, id -> maxInWindow.accumulateAndGet(loop.inWindow(), Math::max));
        resources.add(() -> vertx.cancelTimer(sampler));

        await("partition 0 holds the window").atMost(WAIT).until(() -> loop.inFlight() == window);
        produceInputs(in, 1, 200);
        // Partition 0 has at most 20 records waiting: more means partition 1's were polled too.
        await("partition 1 polled").atMost(WAIT).until(() -> loop.pending() > 20);
        assertThat(handler.calls).as("partition 1 starved by the full window").allMatch(id -> id.startsWith("0:"));

        loop.suspend(waiting);
        await("partition 1 done and committed while partition 0 waits").atMost(WAIT)
                .until(() -> Objects.equals(committed(group).get(1), 200L));
        assertThat(loop.inFlight()).as("partition 0's records still in flight, no more started").isEqualTo(window);
        assertThat(loop.inWindow()).isZero();
        await("partition 1's outputs").atMost(WAIT).pollInSameThread().until(() -> reader.read().size() >= 200);
        assertThat(reader.read()).hasSize(200).allMatch(id -> id.startsWith("1:"));
        int waitingRecords = loop.pending();

        // Records of a suspended partition that finish are produced and committed as usual.
        List.of(0L, 1L, 4L).forEach(offset -> held.computeIfAbsent(offset, o -> Promise.promise()).complete());
        await("commit up to the first unfinished record").atMost(WAIT).until(() -> committedOffset() == 2);
        await("none of partition 0's waiting records starts in the free slots").atMost(WAIT)
                .during(Duration.ofMillis(300)).until(() -> loop.inFlight() == window - 3
                        && loop.pending() == waitingRecords);
        assertThat(highestCommitted).as("never committed past 2").hasValueLessThanOrEqualTo(2);

        loop.resume(waiting);
        LongStream.range(0, 30).forEach(offset -> held.computeIfAbsent(offset, o -> Promise.promise()).tryComplete());
        await("committed to the end").atMost(WAIT)
                .until(() -> committed(group).equals(Map.of(0, 30L, 1, 200L)) && loop.inFlight() == 0);
        await("partition 0's outputs").atMost(WAIT).pollInSameThread().until(() -> reader.read().size() >= 230);
        List<String> partition0 = reader.read().stream().filter(id -> id.startsWith("0:")).toList();
        assertThat(partition0).as("every record once").hasSize(30).doesNotHaveDuplicates();
        assertThat(handler.calls.stream().filter(id -> id.startsWith("0:"))).as("started once").hasSize(30)
                .doesNotHaveDuplicates();
        for (int recipient = 0; recipient < 3; recipient++) {
            int r = recipient;
            assertThat(partition0.stream().mapToLong(ConsumeProduceLoopIT::offsetOf).filter(o -> o % 3 == r))
                    .as("recipient r%d in offset order", r).isSorted();
        }
        assertThat(maxInWindow.get()).as("the window holds").isLessThanOrEqualTo(window);
        assertThat(loop.failure()).isNull();
    }

    @Test
    @Timeout(90)
    void aPartitionSuspendedBeforeItsAssignmentIsNeitherFetchedNorStartedUntilResumed() throws Exception {
        TopicPartition suspended = new TopicPartition(in, 0);
        topics(2, 1);
        produceInputs(in, 2, 50, i -> null);
        ScriptedHandler handler = new ScriptedHandler(out, record -> vertx.timer(1), NO_KEYS);
        ConsumeProduceLoop loop = newLoop(handler, LoopOptions.withDrainTimeout(Duration.ofSeconds(5)), 500, Map.of());
        loop.suspend(suspended);
        loop.start();
        OutputReader reader = reader(1);

        await("partition 1 done and committed").atMost(WAIT)
                .until(() -> Objects.equals(committed(group).get(1), 50L));
        assertThat(handler.calls).as("partition 0 not started").allMatch(id -> id.startsWith("1:"));
        assertThat(loop.pending()).as("partition 0 not even fetched").isZero();

        loop.resume(suspended);
        await("committed to the end").atMost(WAIT).until(() -> committed(group).equals(Map.of(0, 50L, 1, 50L)));
        await("every output").atMost(WAIT).pollInSameThread().until(() -> reader.read().size() >= 100);
        assertThat(reader.read()).hasSize(100).doesNotHaveDuplicates();
    }

    @Test
    @Timeout(120)
    void closingMidStreamLosesNothingAndReprocessesOnlyTheRecordsNotDone() throws Exception {
        int count = 600;
        topics(2, 1);
        produceInputs(in, 2, count, i -> null);
        ScriptedHandler first = new ScriptedHandler(out, record -> record.partition() == 0 && record.offset() == 50
                ? Promise.promise().future() : vertx.timer(20 + record.offset() * 7 % 40), NO_KEYS);
        ConsumeProduceLoop loop = startLoop(first, new LoopOptions(16, Duration.ofSeconds(1),
                LoopOptions.DEFAULT_COMMIT_INTERVAL), 10, Map.of());
        OutputReader reader = reader(1);
        Set<String> headOfPartition0 = IntStream.range(0, 50).mapToObj(i -> "0:" + i).collect(Collectors.toSet());
        await("mid-stream").atMost(WAIT).pollInSameThread()
                .until(() -> reader.read().size() >= 300 && reader.read().containsAll(headOfPartition0));

        long closing = System.nanoTime();
        loop.close();
        Duration closeTook = Duration.ofNanos(System.nanoTime() - closing);
        Map<Integer, Long> atClose = committed(group);
        assertThat(closeTook).as("bounded by the drain timeout").isLessThan(Duration.ofSeconds(6));
        assertThat(atClose.get(0)).as("the stuck record holds partition 0 back").isEqualTo(50L);
        assertThat(atClose.get(1)).as("closed mid-stream").isBetween(1L, count - 1L);
        Set<String> doneByFirst = new HashSet<>(reader.readToEnd());

        ScriptedHandler second = new ScriptedHandler(out, record -> vertx.timer(1), NO_KEYS);
        startLoop(second, LoopOptions.withDrainTimeout(Duration.ofSeconds(5)), 500, Map.of());
        Set<String> everyInput = IntStream.range(0, count).boxed()
                .flatMap(i -> List.of("0:" + i, "1:" + i).stream()).collect(Collectors.toSet());
        await("an output for every input").atMost(WAIT).pollInSameThread()
                .until(() -> new HashSet<>(reader.read()).containsAll(everyInput));
        assertThat(second.calls).as("exactly the records the first loop had not done, once each")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(everyInput.stream().filter(id -> !doneByFirst.contains(id)).toList());
        assertThat(reader.readToEnd()).hasSize(2 * count).doesNotHaveDuplicates();
    }

    @Test
    @Timeout(90)
    void closedWithoutDrainingTheNextLoopRedeliversOnlyTheUnfinishedRecordsNotTheDoneOnesAboveThem() throws Exception {
        int count = 200;
        Set<String> stuck = Set.of("0:10", "0:60", "1:5");
        topics(2, 1);
        produceInputs(in, 2, count, i -> null);
        // Out of order: every record takes 1-50 ms, independently of its offset; the stuck ones never finish.
        ScriptedHandler first = new ScriptedHandler(out, record -> stuck.contains(LoopTestKit.id(record))
                ? Promise.promise().future() : vertx.timer(1 + record.offset() * 37 % 50), NO_KEYS);
        ConsumeProduceLoop loop = startLoop(first, new LoopOptions(64, Duration.ZERO, LoopOptions.DEFAULT_COMMIT_INTERVAL),
                50, Map.of());
        OutputReader reader = reader(1);
        await("everything done but the stuck records").atMost(WAIT).pollInSameThread()
                .until(() -> reader.read().size() == 2 * count - stuck.size() && loop.inFlight() == stuck.size());

        loop.close();
        Map<Integer, OffsetAndMetadata> atClose = LoopTestKit.committedWithMetadata(group);
        assertThat(atClose.get(0).offset()).isEqualTo(10L);
        assertThat(atClose.get(1).offset()).isEqualTo(5L);
        assertThat(DoneOffsets.decode(10, atClose.get(0).metadata())).as("the done records above 0:10")
                .containsExactly(new OffsetRange(11, 60), new OffsetRange(61, count));
        assertThat(DoneOffsets.decode(5, atClose.get(1).metadata())).containsExactly(new OffsetRange(6, count));

        ScriptedHandler second = new ScriptedHandler(out, record -> vertx.timer(1), NO_KEYS);
        ConsumeProduceLoop next = startLoop(second, LoopOptions.withDrainTimeout(Duration.ofSeconds(5)), 50, Map.of());
        await("committed to the end").atMost(WAIT)
                .until(() -> committed(group).equals(Map.of(0, (long) count, 1, (long) count)));
        assertThat(second.calls).as("only the unfinished records again").containsExactlyInAnyOrderElementsOf(stuck);
        assertThat(reader.readToEnd()).as("one output per input").hasSize(2 * count).doesNotHaveDuplicates();
        assertThat(next.failure()).isNull();
    }

    @Test
    @Timeout(90)
    void aRebalanceWhileALowRecordIsStuckHandsOverOnlyTheUnfinishedRecords() throws Exception {
        int count = 150;
        topics(2, 1);
        produceInputs(in, 2, count, i -> null);
        AtomicBoolean firstAttempt = new AtomicBoolean(true);
        Promise<Void> stuck = Promise.promise();
        Function<ConsumerRecord<byte[], byte[]>, Future<?>> work = record -> record.partition() == 0
                && record.offset() == 3 && firstAttempt.getAndSet(false) ? stuck.future()
                : vertx.timer(1 + record.offset() * 37 % 20);
        ScriptedHandler first = new ScriptedHandler(out, work, NO_KEYS);
        ScriptedHandler second = new ScriptedHandler(out, work, NO_KEYS);
        LoopOptions options = new LoopOptions(32, Duration.ofSeconds(1), LoopOptions.DEFAULT_COMMIT_INTERVAL);
        startLoop(first, options, 50, Map.of());
        OutputReader reader = reader(1);
        await("everything done but 0:3").atMost(WAIT).pollInSameThread()
                .until(() -> reader.read().size() == 2 * count - 1);

        startLoop(second, options, 50, Map.of());
        await("committed to the end").atMost(WAIT)
                .until(() -> committed(group).equals(Map.of(0, (long) count, 1, (long) count)));
        List<String> calls = new ArrayList<>(first.calls);
        calls.addAll(second.calls);
        assertThat(calls).as("only the stuck record handled twice, by whichever loop got partition 0")
                .hasSize(2 * count + 1).filteredOn(id -> id.equals("0:3")).hasSize(2);
        assertThat(reader.readToEnd()).as("one output per input").hasSize(2 * count).doesNotHaveDuplicates();
    }

    @Test
    @Timeout(120)
    void aRebalanceMidStreamHandsPartitionsOverWithoutLossOrDuplicates() throws Exception {
        int count = 300;
        topics(4, 1);
        produceInputs(in, 4, count, i -> "r" + i % 7);
        // ~3 s of work at 16 in flight: the second member joins well before the end.
        Function<ConsumerRecord<byte[], byte[]>, Future<?>> work = record -> vertx.timer(20 + record.offset() * 7 % 40);
        Function<ConsumerRecord<byte[], byte[]>, Collection<String>> keys = record -> List.of(text(record.key()));
        ScriptedHandler first = new ScriptedHandler(out, work, keys);
        ScriptedHandler second = new ScriptedHandler(out, work, keys);
        LoopOptions options = new LoopOptions(16, Duration.ofSeconds(10), LoopOptions.DEFAULT_COMMIT_INTERVAL);
        ConsumeProduceLoop one = startLoop(first, options, 50, Map.of());
        OutputReader reader = reader(1);
        await("mid-stream").atMost(WAIT).pollInSameThread().until(() -> reader.read().size() >= 200);

        ConsumeProduceLoop two = startLoop(second, options, 50, Map.of());
        await("an output for every input").atMost(WAIT).pollInSameThread().until(() -> reader.read().size() >= 4 * count);

        assertThat(second.calls).as("the new member took partitions over").isNotEmpty();
        assertThat(first.calls).as("and the first kept some").hasSizeGreaterThan(200);
        assertThat(reader.read()).as("revoked records were finished and committed before the handover")
                .hasSize(4 * count).doesNotHaveDuplicates();
        assertThat(one.failure()).isNull();
        assertThat(two.failure()).isNull();
        await("committed to the end").atMost(WAIT).until(() -> committed(group).values().stream()
                .allMatch(offset -> offset == count) && committed(group).size() == 4);
    }

    @Test
    @Timeout(90)
    void aMemberWithoutPartitionsHasJoinedAndReachesTheCluster() throws Exception {
        topics(1, 1);
        ScriptedHandler handler = new ScriptedHandler(out, record -> Future.succeededFuture(), NO_KEYS);
        ConsumeProduceLoop first = startLoop(handler, LoopOptions.withDrainTimeout(Duration.ofSeconds(1)), 10, Map.of());
        ConsumeProduceLoop second = startLoop(handler, LoopOptions.withDrainTimeout(Duration.ofSeconds(1)), 10, Map.of());

        await("both members of the group, one of them with the only partition").atMost(WAIT)
                .until(() -> first.member() && second.member() && members(group).size() == 2
                        && assignedPartitions(first) + assignedPartitions(second) == 1);
        assertThat(ConsumerMetrics.reachable(first.consumerMetrics())).isTrue();
        assertThat(ConsumerMetrics.reachable(second.consumerMetrics())).isTrue();

        second.close();
        assertThat(second.member()).as("a closed loop is no member").isFalse();
    }

    @Test
    @Timeout(90)
    void theLagOfTheAssignedPartitionsIsReadFromTheConsumersOwnMetrics() throws Exception {
        topics(1, 1);
        produceInputs(in, 0, 100);
        // Nothing finishes: the loop polls a few records and pauses the partition, 90-odd records behind.
        ScriptedHandler handler = new ScriptedHandler(out, record -> Promise.promise().future(), NO_KEYS);
        ConsumeProduceLoop loop = startLoop(handler, new LoopOptions(2, Duration.ofMillis(200),
                LoopOptions.DEFAULT_COMMIT_INTERVAL, false), 2, Map.of());

        await("lag measured").atMost(WAIT).until(() -> ConsumerMetrics.lag(loop.consumerMetrics(), in) > 0);
        assertThat(ConsumerMetrics.lag(loop.consumerMetrics(), in)).isBetween(90.0, 99.0);
        assertThat(ConsumerMetrics.lag(loop.consumerMetrics(), out)).isZero();
    }

    private static double assignedPartitions(ConsumeProduceLoop loop) {
        return loop.consumerMetrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("assigned-partitions"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    private void topics(int inputPartitions, int outputPartitions) {
        KafkaTestBroker.createTopic(in, inputPartitions);
        KafkaTestBroker.createTopic(out, outputPartitions);
    }

    private ConsumeProduceLoop startLoop(RecordHandler handler, LoopOptions options, int maxPollRecords,
                                         Map<String, Object> consumerExtra) throws Exception {
        ConsumeProduceLoop loop = newLoop(handler, options, maxPollRecords, consumerExtra);
        loop.start();
        loop.assigned().get(30, TimeUnit.SECONDS);
        return loop;
    }

    private ConsumeProduceLoop newLoop(RecordHandler handler, LoopOptions options, int maxPollRecords,
                                       Map<String, Object> consumerExtra) {
        KafkaProducer<byte[], byte[]> producer = LoopTestKit.producer();
        resources.add(producer);
        ConsumeProduceLoop loop = new ConsumeProduceLoop("loop-" + group, LoopTestKit.consumer(group, maxPollRecords,
                consumerExtra), producer, List.of(in), context, handler, options);
        resources.add(loop);
        return loop;
    }

    private OutputReader reader(int partitions) {
        OutputReader reader = new OutputReader(out, partitions);
        resources.add(reader);
        return reader;
    }

    private long committedOffset() throws Exception {
        Long offset = committed(group).get(0);
        return offset == null ? -1 : offset;
    }

    /** The highest committed offset of partition 0, sampled every 20 ms until the test ends. */
    private AtomicLong sampleCommitted() {
        AtomicLong highest = new AtomicLong(-1);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            try {
                highest.accumulateAndGet(committedOffset(), Math::max);
            } catch (Exception e) {
                // the next sample will tell
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        resources.add(sampler::shutdownNow);
        return highest;
    }

    private static boolean shareKey(String a, String b) {
        return !Collections.disjoint(Arrays.asList(a.split(",")), Arrays.asList(b.split(",")));
    }

    private static long offsetOf(String id) {
        return Long.parseLong(id.substring(id.indexOf(':') + 1));
    }
}
