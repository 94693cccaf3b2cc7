package io.wabatch.sandbox.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Waits until a newly created topic serves every partition. Producing right after {@code createTopics}
 * with an idempotent producer lost records (NOT_LEADER_OR_FOLLOWER, then OUT_OF_ORDER_SEQUENCE_NUMBER
 * until {@code delivery.timeout.ms}; KAFKA-15591, KAFKA-19880), so wait for this before producing.
 *
 * <p>A topic is ready when it is described and ListOffsets answers for each of its partitions.
 * Retriable errors (the topic not yet in the broker's metadata, no leader yet, timeouts) are retried
 * on a timer every {@value #RETRY_MILLIS} ms until the deadline; other errors fail at once.
 */
public final class TopicReadiness {

    static final long RETRY_MILLIS = 50;

    private TopicReadiness() {
    }

    /**
     * Blocks until {@code topic} is ready on the cluster {@code admin} talks to.
     *
     * @throws IllegalStateException when it is not ready within {@code timeout}, or a non-retriable error occurs
     */
    public static void await(Admin admin, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Void> ready = attempt(admin, topic, deadline);
        try {
            ready.get(timeout.toMillis() + RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ready.cancel(true);
            throw new IllegalStateException("Topic " + topic + " not ready within " + timeout, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Topic " + topic + " not ready within " + timeout + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for topic " + topic, e);
        }
    }

    private static CompletableFuture<Void> attempt(Admin admin, String topic, long deadline) {
        return partitionCount(admin, topic, remainingMillis(deadline))
                .thenCompose(partitions -> listOffsets(admin, topic, partitions, remainingMillis(deadline)))
                .handle((ok, error) -> error == null
                        ? CompletableFuture.<Void>completedFuture(null)
                        : retryOrFail(admin, topic, deadline, unwrap(error)))
                .thenCompose(Function.identity());
    }

    private static CompletableFuture<Void> retryOrFail(Admin admin, String topic, long deadline, Throwable error) {
        if (!(error instanceof RetriableException) || remainingMillis(deadline) <= RETRY_MILLIS) {
            return CompletableFuture.failedFuture(error);
        }
        return CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> attempt(admin, topic, deadline));
    }

    private static CompletableFuture<Integer> partitionCount(Admin admin, String topic, int timeoutMs) {
        return admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(timeoutMs))
                .allTopicNames()
                .toCompletionStage()
                .toCompletableFuture()
                .thenApply(descriptions -> descriptions.get(topic).partitions().size());
    }

    private static CompletableFuture<Void> listOffsets(Admin admin, String topic, int partitions, int timeoutMs) {
        Map<TopicPartition, OffsetSpec> request = IntStream.range(0, partitions)
                .mapToObj(partition -> new TopicPartition(topic, partition))
                .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
        return admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(timeoutMs))
                .all()
                .toCompletionStage()
                .toCompletableFuture()
                .thenApply(offsets -> null);
    }

    private static int remainingMillis(long deadline) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining));
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
