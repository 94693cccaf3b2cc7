package io.wabatch.sandbox.api.stats;

/**
 * At most {@code mps} messages per wall-clock (epoch) second: a fixed window, as the real limit
 * is counted per second. Sends and customers' messages to the number count alike (Meta counts a
 * number's inbound and outbound messages against one throughput limit): a customer's message is
 * never refused, it uses up the budget a send would have had. Thread-safe; the clock is read under
 * the lock so windows never go back.
 */
public final class ThroughputLimiter {

    private int mps;
    private long windowSecond = Long.MIN_VALUE;
    private int admitted;

    /** A limiter admitting {@code mps} per second. */
    public ThroughputLimiter(int mps) {
        setMps(mps);
    }

    /**
     * Admits one message if this second's budget allows.
     *
     * @return the admission time in epoch milliseconds, or {@code -1} when the budget is used up
     */
    public synchronized long tryAcquire() {
        long now = roll();
        if (admitted >= mps) {
            return -1;
        }
        admitted++;
        return now;
    }

    /**
     * Counts a customer's message to the number in this second's budget, even above the limit (the
     * customer's message arrives whatever the business sends).
     *
     * @return the time it was counted at, epoch milliseconds
     */
    public synchronized long countInbound() {
        long now = roll();
        admitted++;
        return now;
    }

    /** The current time; starts a new window when the second changed. */
    private long roll() {
        long now = System.currentTimeMillis();
        long second = Math.floorDiv(now, 1000L);
        if (second != windowSecond) {
            windowSecond = second;
            admitted = 0;
        }
        return now;
    }

    /** The current limit, messages per second. */
    public synchronized int mps() {
        return mps;
    }

    /** Changes the limit; takes effect at once, including the current second. */
    public synchronized void setMps(int mps) {
        if (mps < 1) {
            throw new IllegalArgumentException("mps must be at least 1, got " + mps);
        }
        this.mps = mps;
    }

    /** Forgets the current window. */
    public synchronized void reset() {
        windowSecond = Long.MIN_VALUE;
        admitted = 0;
    }
}
