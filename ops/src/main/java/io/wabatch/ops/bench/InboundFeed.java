package io.wabatch.ops.bench;

import io.wabatch.sandbox.api.SandboxServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Customers writing to a scenario's numbers: {@code perNumber} messages a second to each number, evenly spaced,
 * each from a customer who has not written before ({@code +4917} and nine digits, counted up; the campaign's
 * recipients are {@code +4915…}). The sandbox posts each as an inbound webhook ({@link SandboxServer#inbound}).
 * Runs on a thread of its own from {@link #start} to {@link #close}.
 */
final class InboundFeed implements AutoCloseable {

    private final SandboxServer sandbox;
    private final List<BenchChannel> channels;
    private final int perNumber;
    private final AtomicLong written = new AtomicLong();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    private InboundFeed(SandboxServer sandbox, List<BenchChannel> channels, int perNumber) {
        this.sandbox = sandbox;
        this.channels = List.copyOf(channels);
        this.perNumber = perNumber;
        this.thread = new Thread(this::run, "bench-inbound");
        this.thread.setDaemon(true);
    }

    /** Starts writing {@code perNumber} messages a second to each channel's number. */
    static InboundFeed start(SandboxServer sandbox, List<BenchChannel> channels, int perNumber) {
        InboundFeed feed = new InboundFeed(sandbox, channels, perNumber);
        feed.thread.start();
        return feed;
    }

    private void run() {
        long start = System.nanoTime();
        long interval = 1_000_000_000L / perNumber;
        try {
            for (long tick = 0; running; tick++) {
                JobFeed.sleepNanos(start + tick * interval - System.nanoTime());
                for (BenchChannel channel : channels) {
                    long n = written.get();
                    sandbox.inbound(channel.numberId(), String.format("+4917%09d", n), "question " + n);
                    written.incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    /** Messages written so far (each one the sandbox posts once, and retries while not answered 2xx). */
    long written() {
        return written.get();
    }

    /**
     * Stops writing and waits for the thread.
     *
     * @throws IllegalStateException when writing failed
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a customer's message could not be written", failure.get());
        }
    }
}
