package io.wabatch.common.kafka;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@link ConsumeProduceLoop} stands, shared between its callers and its poll thread: started,
 * a member of its group, closing, failed, stopped. Callers start and close it and read it from any
 * thread; the poll thread reports what happened ({@link #joined}, {@link #left}, {@link #fail},
 * {@link #stopped}). The first failure wins: it is logged, the committer told to abort (on the poll
 * thread, the committer's owner) and handed to {@link #terminated()} when the thread ends.
 */
final class LoopLifecycle {

    // The loop's own logger: operators know its messages under that name.
    private static final Logger LOG = LoggerFactory.getLogger(ConsumeProduceLoop.class);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final Committer committer;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final CompletableFuture<Void> assigned = new CompletableFuture<>();
    private volatile Throwable failure;
    private volatile Thread thread;
    private volatile boolean member;

    /** @param committer aborted on the first failure */
    LoopLifecycle(String name, Committer committer) {
        this.name = name;
        this.committer = committer;
    }

    /** Runs {@code pollThread} on a new thread named after the loop. */
    void start(Runnable pollThread) {
        thread = new Thread(pollThread, name);
        thread.start();
    }

    /**
     * Asks the poll thread to stop (waking up its poll) and waits for it, at most the drain timeout and
     * 10 s more. A loop never started closes {@code consumer} itself: no other thread owns it.
     */
    void close(Consumer<?, ?> consumer, Duration drainTimeout) {
        if (closing.compareAndSet(false, true)) {
            if (thread == null) {
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
                stopped.countDown();
                return;
            }
            consumer.wakeup();
        }
        try {
            if (!stopped.await(drainTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("{} did not stop in time", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@link #close} was called. Any thread. */
    boolean closing() {
        return closing.get();
    }

    /** Whether the poll thread should go on: neither closing nor failed. Any thread. */
    boolean running() {
        return !closing.get() && failure == null;
    }

    /** Stops the loop for {@code error}, unless it failed already. Poll thread. */
    void fail(String what, Throwable error) {
        if (failure == null) {
            failure = error;
            LOG.error("{} stopped: {}; records not committed will be redelivered", name, what, error);
            committer.abort();
        }
    }

    /** Whether the loop failed. Any thread. */
    boolean failed() {
        return failure != null;
    }

    /** The error that stopped the loop, or null. Any thread. */
    Throwable failure() {
        return failure;
    }

    /** The consumer received an assignment (possibly empty). Poll thread. */
    void joined() {
        member = true;
        assigned.complete(null);
    }

    /** The consumer lost its partitions or is stopping. Poll thread. */
    void left() {
        member = false;
    }

    /** Whether the consumer is a member of its group right now. Any thread. */
    boolean member() {
        return member;
    }

    /** Completes with the first assignment, exceptionally if the loop stops before. */
    CompletableFuture<Void> assigned() {
        return assigned;
    }

    /** Completes when the poll thread has ended, exceptionally with the failure that stopped it. */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** The poll thread's last act, after the consumer is closed. */
    void stopped() {
        assigned.completeExceptionally(new IllegalStateException(name + " stopped"));
        stopped.countDown();
        if (failure != null) {
            terminated.completeExceptionally(failure);
        } else {
            terminated.complete(null);
        }
    }
}
