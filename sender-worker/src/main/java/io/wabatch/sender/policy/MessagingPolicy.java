package io.wabatch.sender.policy;

import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.contract.PhoneNumbers;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.common.metrics.ErrorCodes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WhatsApp's messaging rules, applied to each job before any API call (issue 8):
 * <ol>
 *   <li>opt-outs: a marketing campaign's message to a customer who opted out is refused
 *       ({@code opted_out});</li>
 *   <li>the US marketing pause: a marketing campaign's template to a US number is refused
 *       ({@code us_marketing_pause}) unless the channel's registry entry turns the rule off, since the
 *       API would not deliver it (131049); see {@link UsMarketingPause};</li>
 *   <li>the 24-hour window: a non-template message to a customer who has not written within the
 *       window is refused ({@code outside_window}), since the API would refuse it (131047);</li>
 *   <li>send windows: a campaign's quiet hours in the recipient's time zone defer the message to
 *       their end ({@code quiet_hours});</li>
 *   <li>the portfolio's budgets ({@link PortfolioBudget}, shared by its numbers across senders): a
 *       business-initiated message (a template to a customer outside the window) to a new user beyond the
 *       portfolio's tier defers until a place frees up ({@code tier}); a marketing template to a user who got
 *       the portfolio's {@code marketing_cap} of them within the cap's window waits likewise
 *       ({@code marketing_cap}), or ends {@code failed} with {@code marketing_cap} when its campaign says
 *       {@code --over-cap skip}.</li>
 * </ol>
 */
public final class MessagingPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(MessagingPolicy.class);

    /** What to do with a job. */
    public sealed interface Decision {
        /** Send it. */
        record Send() implements Decision {
        }

        /** Never send it: a result {@code failed} with this code and reason. */
        record Refuse(String code, String title, String details) implements Decision {
        }

        /** Not before {@code due}. */
        record Defer(Instant due, String reason) implements Decision {
        }
    }

    private static final Decision SEND = new Decision.Send();
    /** How soon a job whose budget claim got no verdict (the log unreachable) asks again. */
    private static final Duration CLAIM_RETRY = Duration.ofSeconds(2);

    /**
     * @param enforceOptOuts suppress opted-out customers for marketing campaigns
     * @param enforceWindow  refuse non-template messages outside the service window
     * @param serviceWindow  the customer-service window (24 h)
     */
    public record Settings(boolean enforceOptOuts, boolean enforceWindow, Duration serviceWindow) {
    }

    private final Settings settings;
    private final RecipientBook recipients;
    private final PortfolioClaims budgets;
    private final Duration tierWindow;
    private final Duration capWindow;
    private final ChannelRegistry registry;
    private final PortfolioLimits limits;
    private final Clock clock;

    /**
     * @param budgets    where messages claim places in their portfolio's tier and marketing cap
     * @param tierWindow the tiers' rolling window (24 h)
     * @param capWindow  the per-user marketing cap's rolling window
     * @param limits     the portfolios' messaging limits as the platform announced them (else the registry's tier)
     */
    public MessagingPolicy(Settings settings, RecipientBook recipients, PortfolioClaims budgets, Duration tierWindow,
                           Duration capWindow, ChannelRegistry registry, PortfolioLimits limits, Clock clock) {
        this.limits = limits;
        this.settings = settings;
        this.recipients = recipients;
        this.budgets = budgets;
        this.tierWindow = tierWindow;
        this.capWindow = capWindow;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * The decision for a job that is due now: at once from what this sender knows, or, when the job needs a
     * place in its portfolio's tier or marketing cap, once its claim is decided.
     */
    public CompletionStage<Decision> check(ReadyJob job, CampaignPolicy campaign) {
        Instant now = clock.instant();
        String to = job.to();
        if (settings.enforceOptOuts() && campaign.marketing() && recipients.optedOut(to)) {
            return decided(new Decision.Refuse("opted_out", "Recipient opted out", "the customer opted out of "
                    + "marketing messages (replied with an opt-out keyword or produced 131050); campaign category "
                    + campaign.category()));
        }
        Channel channel = registry.get(job.channel());
        if (UsMarketingPause.skips(channel, campaign, job, now)) {
            return decided(UsMarketingPause.refusal(channel));
        }
        Instant wrote = recipients.lastInbound(channel.endpoint().phoneNumberId(), to); // any of the person's addresses
        boolean windowOpen = wrote != null && wrote.plus(settings.serviceWindow()).isAfter(now);
        boolean template = "template".equals(job.message().path("type").asText());
        if (settings.enforceWindow() && !template && !windowOpen) {
            return decided(new Decision.Refuse("outside_window", "Outside the 24-hour window", "a "
                    + job.message().path("type").asText() + " message needs the customer's 24-hour service window, and "
                    + (wrote == null ? "they have not written within it" : "they last wrote at " + wrote)
                    + "; send a template instead (the API would answer 131047)"));
        }
        Instant quietEnds = QuietHours.resumeAt(campaign, to, now);
        if (quietEnds != null) {
            return decided(new Decision.Defer(quietEnds, "quiet_hours"));
        }
        Integer tier = !windowOpen ? limits.tier(channel) : null;
        Integer cap = template && campaign.marketing() ? channel.business().marketingCap() : null;
        if (tier == null && cap == null) {
            return decided(SEND);
        }
        String person = recipients.person(to);
        // One id per message: a retry or a resume that claims again is not counted twice.
        PortfolioBudget.Entry claim = PortfolioBudget.Entry.claim(
                job.campaignId() + "/" + job.jobId() + "#" + job.generation(),
                channel.portfolio(), person, tier, tierWindow, cap, capWindow, now);
        return budgets.claim(claim).handle((verdict, error) -> {
            if (error != null) {
                LOG.warn("channel {}: no verdict on a budget claim for {} ({}); trying again shortly", channel.id(),
                        PhoneNumbers.mask(to), error.toString());
                return new Decision.Defer(clock.instant().plus(CLAIM_RETRY),
                        tier != null ? PortfolioBudget.TIER : PortfolioBudget.MARKETING_CAP);
            }
            if (verdict.granted()) {
                return SEND;
            }
            if (PortfolioBudget.MARKETING_CAP.equals(verdict.reason()) && campaign.skipsOverCap()) {
                return new Decision.Refuse(ErrorCodes.MARKETING_CAP, "Over the per-user marketing cap", "the customer "
                        + "got " + cap + " marketing templates from business portfolio " + channel.portfolio()
                        + " within " + capWindow + " (marketing_cap); the campaign skips messages over the cap "
                        + "(--over-cap skip); the next one could go at " + verdict.freeAt());
            }
            LOG.debug("channel {}: {} of portfolio {} reached; {} waits until {}", channel.id(), verdict.reason(),
                    channel.portfolio(), PhoneNumbers.mask(to), verdict.freeAt());
            return new Decision.Defer(verdict.freeAt(), verdict.reason());
        });
    }

    private static CompletionStage<Decision> decided(Decision decision) {
        return CompletableFuture.completedFuture(decision);
    }

    /**
     * A refusal that no wait can lift, decided as soon as the job arrives, before it waits for its
     * {@code not_before} or a deferral (a 131049 resend a day later among them): the US marketing pause.
     *
     * @return the refusal, or null when the job may wait
     */
    public Decision.Refuse lasting(ReadyJob job, CampaignPolicy campaign) {
        Channel channel = registry.get(job.channel());
        return UsMarketingPause.skips(channel, campaign, job, clock.instant()) ? UsMarketingPause.refusal(channel)
                : null;
    }

    /**
     * The outcome of a 131049 answer (held back, otherwise failed or resent a day later) when the US
     * marketing pause covers the job: the rule's, whatever the campaign's category.
     *
     * @return the rule's refusal, or null when the rule does not cover the job
     */
    public Decision.Refuse heldBack(ReadyJob job) {
        Channel channel = registry.get(job.channel());
        return UsMarketingPause.covers(channel, job, clock.instant()) ? UsMarketingPause.heldBack(channel) : null;
    }

    /**
     * The key of the job's pair window ({@code <channel>/<person>}): one window per person, so messages to a
     * number and to the same person's business-scoped user ID do not go back to back (131056).
     */
    public String pairKey(ReadyJob job) {
        return job.channel() + "/" + recipients.person(job.to());
    }

    /** The API accepted a message: a tier place it holds counts from now. */
    public void accepted(ReadyJob job) {
        Channel channel = registry.get(job.channel());
        if (limits.tier(channel) != null && "template".equals(job.message().path("type").asText())) {
            budgets.accepted(PortfolioBudget.Entry.accepted(channel.portfolio(), recipients.person(job.to()),
                    clock.instant()));
        }
    }
}
