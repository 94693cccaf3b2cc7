package io.wabatch.sandbox.api;

import io.wabatch.sandbox.api.stats.NumberStats;
import io.wabatch.sandbox.api.stats.ThroughputLimiter;

/**
 * One served number with its live pace, its record and the settings that change at runtime (its business
 * portfolio, its Marketing Messages API onboarding); every part is thread-safe.
 */
final class NumberState {

    private final SandboxNumber number;
    private final ThroughputLimiter limiter;
    private final NumberStats stats = new NumberStats();
    private volatile String portfolioId;
    private volatile boolean marketingMessagesOnboarded;
    /** End of a throughput upgrade's maintenance minute, epoch ms (0: none), and the mps it then applies. */
    private long maintenanceUntilMs;
    private int upgradedMps;

    NumberState(SandboxNumber number) {
        this.number = number;
        this.limiter = new ThroughputLimiter(number.mps());
        this.portfolioId = number.portfolioId();
        this.marketingMessagesOnboarded = number.marketingMessagesOnboarded();
    }

    /** The number as configured (its mps, portfolio and onboarding may have changed since). */
    SandboxNumber number() {
        return number;
    }

    ThroughputLimiter limiter() {
        return limiter;
    }

    NumberStats stats() {
        return stats;
    }

    String id() {
        return number.id();
    }

    String wabaId() {
        return number.wabaId();
    }

    /** The current business portfolio, or null when the number's account stands alone. */
    String portfolioId() {
        return portfolioId;
    }

    void portfolioId(String value) {
        portfolioId = value;
    }

    /**
     * What the number's messaging limit and its users' business-scoped IDs belong to: its portfolio, or, when
     * it has none, its WhatsApp Business Account.
     */
    String businessKey() {
        String portfolio = portfolioId;
        return portfolio != null ? "portfolio:" + portfolio : "waba:" + number.wabaId();
    }

    /**
     * Starts Meta's throughput upgrade: until {@code untilMs} every send answers 131057, then the limit becomes
     * {@code mps}. A second upgrade replaces the first.
     */
    synchronized void startUpgrade(long untilMs, int mps) {
        maintenanceUntilMs = untilMs;
        upgradedMps = mps;
    }

    /**
     * Whether the number is in an upgrade's maintenance at {@code nowMs}; once the upgrade's end has passed, applies
     * its mps (once) and answers false.
     */
    synchronized boolean inMaintenance(long nowMs) {
        if (maintenanceUntilMs == 0) {
            return false;
        }
        if (nowMs < maintenanceUntilMs) {
            return true;
        }
        limiter.setMps(upgradedMps);
        maintenanceUntilMs = 0;
        return false;
    }

    /** Ends a pending upgrade's maintenance without applying it (reset). */
    synchronized void cancelUpgrade() {
        maintenanceUntilMs = 0;
    }

    /** The end of the current upgrade's maintenance, epoch ms, or 0 when none. */
    synchronized long maintenanceUntilMs() {
        return maintenanceUntilMs;
    }

    boolean marketingMessagesOnboarded() {
        return marketingMessagesOnboarded;
    }

    void marketingMessagesOnboarded(boolean value) {
        marketingMessagesOnboarded = value;
    }
}
