package io.wabatch.common.channel;

import io.wabatch.common.api.ApiEndpoint;

/**
 * One sending channel: a WhatsApp business phone number (one 360dialog API key), its API
 * endpoint, the partition of {@code wa.jobs.ready} it owns, and its pacing.
 *
 * @param id         short stable name used in job {@code channel} fields, keys and metric tags
 * @param endpoint   provider, base URL, credential and, for Meta, phone-number id and API version
 * @param wabaId     the WhatsApp Business Account id; channels of one WABA share its call-rate limits; may be null
 * @param partition  the partition of the ready, deferred and result topics this channel owns
 * @param mps        the number's throughput limit in messages per second (80 by default, up to 1,000)
 * @param headroom   the share of {@code mps} the sender uses when no customer writes to the number (0 &lt; h &lt; 1);
 *                   its pace is {@code mps × headroom} less the rate of the number's recent inbound messages, which
 *                   count against the same limit
 * @param burst      tokens the message bucket may hold after idling; {@code pace + burst ≤ mps}
 * @param uploadRate uploads per second allowed to {@code /media} (25 on 360dialog)
 * @param tier       the number's messaging tier: unique recipients of business-initiated messages per rolling
 *                   24 h (250, 2,000, 10,000, 100,000), or null for unlimited; with a {@code business}
 *                   portfolio, the portfolio's limit, shared by its numbers
 * @param business   the business portfolio the number belongs to and the 2026 platform rules it follows
 * @param displayPhone the number as the platform displays it, digits only, or null: its quality and throughput
 *                   webhooks name it only so
 * @param maxMps     the highest throughput the number may be raised to when Meta upgrades it
 *                   (THROUGHPUT_UPGRADE): 1,000 on Meta numbers, the configured {@code mps} on 360dialog (whose
 *                   1,000 needs their High Throughput plan) unless the registry says {@code max_mps}
 */
public record Channel(String id, ApiEndpoint endpoint, String wabaId, int partition, int mps,
                      double headroom, int burst, double uploadRate, Integer tier, Business business,
                      String displayPhone, Integer maxMps) {

    /**
     * What a number inherits from its business portfolio and the platform's 2026 rules.
     *
     * @param portfolioId         the Meta business portfolio id; numbers of one portfolio share its messaging
     *                            limit and its users' identities; null: the number stands alone
     * @param marketingMessages   Meta numbers: send marketing templates by the Marketing Messages API
     *                            ({@code /marketing_messages}) instead of {@code /messages}
     * @param usMarketingPause    skip marketing templates to US numbers, which Meta does not deliver since
     *                            2025-04-01 (on by default)
     * @param marketingCap        at most this many marketing templates per user per rolling window
     *                            ({@code policy.marketing.cap.window.ms}) across all campaigns of the portfolio's
     *                            numbers, or null for no cap
     */
    public record Business(String portfolioId, boolean marketingMessages, boolean usMarketingPause,
                           Integer marketingCap) {

        /** A number of its own portfolio, sending by {@code /messages}, with the US pause on and no cap. */
        public static final Business DEFAULT = new Business(null, false, true, null);

        public Business {
            if (marketingCap != null && marketingCap < 1) {
                throw new IllegalArgumentException("marketing_cap must be a positive number of marketing templates "
                        + "per user, got " + marketingCap);
            }
        }

        /** Without a per-user marketing cap. */
        public Business(String portfolioId, boolean marketingMessages, boolean usMarketingPause) {
            this(portfolioId, marketingMessages, usMarketingPause, null);
        }
    }

    /** The messaging tiers WhatsApp grants. */
    public static final java.util.List<Integer> TIERS = java.util.List.of(250, 1_000, 2_000, 10_000, 100_000);

    /** The throughput Meta upgrades numbers to. */
    public static final int UPGRADED_MPS = 1_000;

    public Channel {
        business = business == null ? Business.DEFAULT : business;
        displayPhone = displayPhone == null ? null : displayPhone.replaceAll("\\D", "");
        if (maxMps == null) {
            maxMps = endpoint != null && endpoint.provider() == io.wabatch.common.api.Provider.META
                    ? Math.max(mps, UPGRADED_MPS) : mps;
        }
        if (tier != null && tier < 1) {
            throw new IllegalArgumentException("tier must be a positive number of recipients or 'unlimited', got "
                    + tier);
        }
    }

    /** A channel without a display number, raised up to the provider's default when upgraded. */
    public Channel(String id, ApiEndpoint endpoint, String wabaId, int partition, int mps, double headroom, int burst,
                   double uploadRate, Integer tier, Business business) {
        this(id, endpoint, wabaId, partition, mps, headroom, burst, uploadRate, tier, business, null, null);
    }

    /** A channel with the default business settings. */
    public Channel(String id, ApiEndpoint endpoint, String wabaId, int partition, int mps, double headroom, int burst,
                   double uploadRate, Integer tier) {
        this(id, endpoint, wabaId, partition, mps, headroom, burst, uploadRate, tier, Business.DEFAULT);
    }

    /** A channel with an unlimited tier. */
    public Channel(String id, ApiEndpoint endpoint, String wabaId, int partition, int mps, double headroom, int burst,
                   double uploadRate) {
        this(id, endpoint, wabaId, partition, mps, headroom, burst, uploadRate, null, Business.DEFAULT);
    }

    /**
     * Default headroom: 2 % of the limit stays free for the jitter between the sender's clock and the API's (the
     * sender subtracts inbound traffic, which counts against the same limit, as it sees it).
     */
    public static final double DEFAULT_HEADROOM = 0.98;

    /**
     * The headroom a registry entry without one gets: {@link #DEFAULT_HEADROOM}, or less under 50 mps, so that at
     * least one message a second stays free and the least burst (1) keeps {@code pace + burst ≤ mps} (20 mps: 0.95).
     */
    public static double defaultHeadroom(int mps) {
        return mps >= 2 ? Math.min(DEFAULT_HEADROOM, (mps - 1.0) / mps) : DEFAULT_HEADROOM;
    }
    /** Default upload rate per number (360dialog's documented limit). */
    public static final double DEFAULT_UPLOAD_RATE = 25.0;

    /**
     * What the number's budgets (its tier, the per-user marketing cap) are kept under: its business portfolio,
     * or the number alone when it names none.
     */
    public String portfolio() {
        return business.portfolioId() != null ? business.portfolioId() : "channel:" + id;
    }

    /** Messages per second the sender aims for while no customer writes to the number: {@code mps × headroom}. */
    public double pace() {
        return mps * headroom;
    }

    /**
     * The default burst: half of what lies between the pace and the limit, at least one token. The
     * other half absorbs the jitter between leaving the sender and arriving at the API, which counts
     * by its own clock.
     */
    public static int defaultBurst(int mps, double headroom) {
        return Math.max(1, (int) Math.floor((mps - mps * headroom) / 2));
    }
}
