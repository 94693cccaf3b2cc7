package io.wabatch.common.contract;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A campaign's delivery funnel ({@code wa.funnel}, compacted, key: the campaign id), maintained by
 * the funnel aggregator from {@code wa.results}, {@code wa.status} and {@code wa.control}. Each
 * count is a number of jobs (one recipient each) in that state now, so a replayed webhook or a
 * result written twice counts once, and a job whose in-doubt call is confirmed by a status moves
 * from {@code parked} to {@code accepted}.
 *
 * @param campaignId       the campaign
 * @param state            {@code running}, {@code paused} or {@code cancelled} (from {@code wa.control})
 * @param reason           why it is paused or cancelled, or null
 * @param by               who set the state ({@code operator}, {@code auto-pause}, ...), or null
 * @param published        recipients published by {@code wabatch campaign publish}, or null when unknown
 * @param jobs             jobs with any result or status
 * @param finished         jobs with a final outcome (accepted, failed, expired, cancelled, parked, in doubt)
 * @param uploaded         jobs whose media (if any) were ready when they reached the sender
 * @param accepted         jobs the API accepted (a 200 with a wamid, or a status that proves it)
 * @param sent             jobs with a {@code sent} (or later) status
 * @param delivered        jobs with a {@code delivered} (or {@code read}) status
 * @param read             jobs with a {@code read} status
 * @param failed           jobs failed before sending or by a {@code failed} status
 * @param failedByCode     {@link #failed} by error code
 * @param expired          jobs whose {@code not_after} passed
 * @param cancelled        jobs cancelled with their campaign
 * @param parked           jobs parked for an operator (in doubt, not resolved by a status)
 * @param inDoubt          jobs in doubt, not resolved
 * @param suppressed       redeliveries the ledger suppressed (the job was sent before)
 * @param pricing          jobs by pricing category of their statuses
 * @param firstAcceptedAt  the first acceptance
 * @param lastAcceptedAt   the latest acceptance
 * @param updatedAt        when this record was computed
 * @param charged          jobs whose message was charged ({@link ChargeType#charged()}), by pricing category;
 *                         each message once, however many of its statuses carried pricing
 * @param free             jobs whose message was free (free entry point, free customer service, ...), by category
 * @param estimatedCost    Σ charged messages × the rate card's price for (recipient's calling code, category), in
 *                         {@link #currency}; null when the funnel aggregator has no rate card
 * @param currency         the rate card's currency (ISO 4217), or null
 * @param unpriced         charged messages the estimate leaves out: the rate card had no price for their category
 *                         (nor a default), or they were priced before a rate card was configured
 * @param warnings         what the platform told about the campaign's template that does not stop it (quality
 *                         RED, a category change), by kind ({@code template_quality}, {@code template_category}),
 *                         as a line for a person; empty when none
 */
public record CampaignFunnel(String campaignId, String state, String reason, String by, Long published, long jobs,
                             long finished, long uploaded, long accepted, long sent, long delivered, long read, long failed,
                             Map<String, Long> failedByCode, long expired, long cancelled, long parked, long inDoubt,
                             long suppressed, Map<String, Long> pricing, Instant firstAcceptedAt,
                             Instant lastAcceptedAt, Instant updatedAt, Map<String, Long> charged,
                             Map<String, Long> free, BigDecimal estimatedCost, String currency, long unpriced,
                             Map<String, String> warnings) {

    public CampaignFunnel {
        warnings = warnings == null ? Map.of() : new TreeMap<>(warnings);
        failedByCode = failedByCode == null ? Map.of() : new TreeMap<>(failedByCode);
        pricing = pricing == null ? Map.of() : new TreeMap<>(pricing);
        charged = charged == null ? Map.of() : new TreeMap<>(charged);
        free = free == null ? Map.of() : new TreeMap<>(free);
    }

    /** A funnel without charges or cost (as records before them were). */
    public CampaignFunnel(String campaignId, String state, String reason, String by, Long published, long jobs,
                          long finished, long uploaded, long accepted, long sent, long delivered, long read,
                          long failed, Map<String, Long> failedByCode, long expired, long cancelled, long parked,
                          long inDoubt, long suppressed, Map<String, Long> pricing, Instant firstAcceptedAt,
                          Instant lastAcceptedAt, Instant updatedAt) {
        this(campaignId, state, reason, by, published, jobs, finished, uploaded, accepted, sent, delivered, read,
                failed, failedByCode, expired, cancelled, parked, inDoubt, suppressed, pricing, firstAcceptedAt,
                lastAcceptedAt, updatedAt, null, null, null, null, 0, null);
    }

    /** A funnel without warnings (as records before them were). */
    public CampaignFunnel(String campaignId, String state, String reason, String by, Long published, long jobs,
                          long finished, long uploaded, long accepted, long sent, long delivered, long read,
                          long failed, Map<String, Long> failedByCode, long expired, long cancelled, long parked,
                          long inDoubt, long suppressed, Map<String, Long> pricing, Instant firstAcceptedAt,
                          Instant lastAcceptedAt, Instant updatedAt, Map<String, Long> charged, Map<String, Long> free,
                          BigDecimal estimatedCost, String currency, long unpriced) {
        this(campaignId, state, reason, by, published, jobs, finished, uploaded, accepted, sent, delivered, read,
                failed, failedByCode, expired, cancelled, parked, inDoubt, suppressed, pricing, firstAcceptedAt,
                lastAcceptedAt, updatedAt, charged, free, estimatedCost, currency, unpriced, null);
    }

    /** Charged messages over all categories. */
    public long chargedTotal() {
        return charged.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Free messages over all categories. */
    public long freeTotal() {
        return free.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The same funnel under {@code id} (the funnel's key). */
    public CampaignFunnel withCampaignId(String id) {
        return new CampaignFunnel(id, state, reason, by, published, jobs, finished, uploaded, accepted, sent, delivered,
                read, failed, failedByCode, expired, cancelled, parked, inDoubt, suppressed, pricing, firstAcceptedAt,
                lastAcceptedAt, updatedAt, charged, free, estimatedCost, currency, unpriced, warnings);
    }

    /** The same funnel with {@code lines} as its warnings. */
    public CampaignFunnel withWarnings(Map<String, String> lines) {
        return new CampaignFunnel(campaignId, state, reason, by, published, jobs, finished, uploaded, accepted, sent,
                delivered, read, failed, failedByCode, expired, cancelled, parked, inDoubt, suppressed, pricing,
                firstAcceptedAt, lastAcceptedAt, updatedAt, charged, free, estimatedCost, currency, unpriced, lines);
    }

    /** Acceptances per second between the first and the latest, or 0. */
    public double acceptRate() {
        if (firstAcceptedAt == null || lastAcceptedAt == null || accepted < 2) {
            return 0;
        }
        double seconds = (lastAcceptedAt.toEpochMilli() - firstAcceptedAt.toEpochMilli()) / 1000.0;
        return seconds <= 0 ? 0 : (accepted - 1) / seconds;
    }

    public static CampaignFunnel decode(byte[] json) throws IOException {
        return Json.read(json, CampaignFunnel.class);
    }
}
