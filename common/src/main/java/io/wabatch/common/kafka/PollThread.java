package io.wabatch.common.kafka;

import java.time.Duration;
import java.util.Collection;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of the loop's one thread, the consumer's (and in the transactional mode the producer's) only
 * user. Each turn it polls, queues the records, applies the completions that came back, starts records as
 * the window allows, pauses or resumes fetching and commits when due, until the loop closes or fails; then
 * it drains and commits every partition, closes the consumer and reports the loop stopped. Anything it did
 * not expect stops the loop as a failure.
 */
final class PollThread implements Runnable {

    // The loop's own logger: operators know its messages under that name.
    private static final Logger LOG = LoggerFactory.getLogger(ConsumeProduceLoop.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final Collection<String> topics;
    private final ConsumerRebalanceListener rebalance;
    private final RecordIntake intake;
    private final Completions completions;
    private final CommitSchedule commits;
    private final PartitionDrain drain;
    private final LoopLifecycle lifecycle;

    PollThread(String name, Consumer<byte[], byte[]> consumer, Collection<String> topics,
               ConsumerRebalanceListener rebalance, RecordIntake intake, Completions completions,
               CommitSchedule commits, PartitionDrain drain, LoopLifecycle lifecycle) {
        this.name = name;
        this.consumer = consumer;
        this.topics = topics;
        this.rebalance = rebalance;
        this.intake = intake;
        this.completions = completions;
        this.commits = commits;
        this.drain = drain;
        this.lifecycle = lifecycle;
    }

    @Override
    public void run() {
        try {
            commits.start();
            consumer.subscribe(topics, rebalance);
            while (lifecycle.running()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout());
                intake.accept(records);
                completions.processAll();
                intake.start();
                intake.throttle();
                commits.commitIfDue();
            }
        } catch (WakeupException e) {
            if (!lifecycle.closing()) {
                lifecycle.fail("woken up unexpectedly", e);
            }
        } catch (RuntimeException | Error e) {
            lifecycle.fail("stopped by an unexpected error", e);
        } finally {
            shutdown();
        }
    }

    private Duration pollTimeout() {
        if (!completions.isEmpty()) {
            return Duration.ZERO;
        }
        // Records of suspended partitions may wait for hours: no reason to spin for them.
        return intake.busy() ? BUSY_POLL : IDLE_POLL;
    }

    private void shutdown() {
        lifecycle.left();
        drain.releaseAll();
        try {
            consumer.close(CloseOptions.timeout(LoopLifecycle.CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            LOG.debug("{}: consumer close: {}", name, e.toString());
        }
        lifecycle.stopped();
    }
}
