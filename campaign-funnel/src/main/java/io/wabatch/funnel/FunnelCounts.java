package io.wabatch.funnel;

import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.contract.Outcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The running counts of one campaign: each job's {@link JobState} is added, and its previous state
 * subtracted when it changes, so every count is the number of jobs in that state now. Mutable, for
 * the aggregation's adder and subtractor; serialised as JSON in the state store.
 */
final class FunnelCounts {

    public long jobs;
    public long finished;
    public long uploaded;
    public long accepted;
    public long sent;
    public long delivered;
    public long read;
    public long failed;
    public Map<String, Long> failedByCode = new TreeMap<>();
    public long expired;
    public long cancelled;
    public long parked;
    public long inDoubt;
    public long suppressed;
    public Map<String, Long> pricing = new TreeMap<>();
    public Instant firstAcceptedAt;
    public Instant lastAcceptedAt;
    // Absent from counts stored before charges were counted: those start empty, as their jobs' states have no charge.
    public Map<String, Long> charged = new TreeMap<>();
    public Map<String, Long> free = new TreeMap<>();
    public BigDecimal cost = BigDecimal.ZERO;
    public long unpriced;

    /** Adds ({@code sign} 1) or removes ({@code sign} -1) one job's state. */
    FunnelCounts add(JobState job, int sign) {
        jobs += sign;
        Outcome outcome = job.effectiveOutcome();
        if (outcome != null && outcome != Outcome.DUPLICATE_SUPPRESSED || job.failed()) {
            finished += sign;
        }
        uploaded += job.uploaded() ? sign : 0;
        if (outcome == Outcome.ACCEPTED) {
            accepted += sign;
            if (sign > 0 && job.acceptedAt() != null) {
                firstAcceptedAt = firstAcceptedAt == null || job.acceptedAt().isBefore(firstAcceptedAt)
                        ? job.acceptedAt() : firstAcceptedAt;
                lastAcceptedAt = lastAcceptedAt == null || job.acceptedAt().isAfter(lastAcceptedAt)
                        ? job.acceptedAt() : lastAcceptedAt;
            }
        }
        sent += job.delivery() >= 1 ? sign : 0;
        delivered += job.delivery() >= 2 ? sign : 0;
        read += job.delivery() >= 3 ? sign : 0;
        String code = job.failureCode();
        if (code != null) {
            failed += sign;
            bump(failedByCode, code, sign);
        }
        expired += outcome == Outcome.EXPIRED ? sign : 0;
        cancelled += outcome == Outcome.CANCELLED ? sign : 0;
        parked += outcome == Outcome.PARKED ? sign : 0;
        inDoubt += outcome == Outcome.IN_DOUBT ? sign : 0;
        suppressed += job.suppressed() ? sign : 0;
        if (job.pricing() != null) {
            bump(pricing, job.pricing(), sign);
        }
        addCharge(job, sign);
        return this;
    }

    /** Adds (or subtracts) the job's {@link JobState#countedCharge() counted charge}. */
    private void addCharge(JobState job, int sign) {
        JobCharge charge = job.countedCharge();
        if (charge == null) {
            return;
        }
        String category = job.pricing() == null ? JobCharge.UNKNOWN_CATEGORY : job.pricing();
        if (!charge.charged()) {
            bump(free, category, sign);
            return;
        }
        bump(charged, category, sign);
        if (charge.price() == null) {
            unpriced += sign;
        } else {
            cost = (cost == null ? BigDecimal.ZERO : cost).add(sign > 0 ? charge.price() : charge.price().negate());
        }
    }

    private static void bump(Map<String, Long> counts, String key, int sign) {
        long next = counts.getOrDefault(key, 0L) + sign;
        if (next == 0) {
            counts.remove(key);
        } else {
            counts.put(key, next);
        }
    }

    /**
     * The published view, with the campaign's control state; the estimated cost only with a rate card's
     * {@code currency} (null: none configured).
     */
    CampaignFunnel view(String campaign, String state, String reason, String by, Long published, Instant now,
                        String currency) {
        BigDecimal estimate = currency == null ? null : (cost == null ? BigDecimal.ZERO : cost).stripTrailingZeros();
        return new CampaignFunnel(campaign, state, reason, by, published, jobs, finished, uploaded, accepted, sent,
                delivered, read, failed, failedByCode, expired, cancelled, parked, inDoubt, suppressed, pricing,
                firstAcceptedAt, lastAcceptedAt, now, charged, free, estimate, currency, unpriced);
    }
}
