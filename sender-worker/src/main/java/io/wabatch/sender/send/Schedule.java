package io.wabatch.sender.send;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wabatch.common.contract.PhoneNumbers;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.sender.control.CampaignControl;
import io.wabatch.sender.defer.Deferrals;
import io.wabatch.sender.policy.MessagingPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Step#SCHEDULE}: when the job is due — a deferral's due time (not a campaign pause's: that
 * only re-checks the campaign), its {@code not_before} — and what the messaging policy (opt-outs, the
 * US marketing pause, the 24-hour window, quiet hours, tiers) says; a refusal no wait can lift (the US
 * marketing pause) is given before any wait. A job that needs a place in its portfolio's tier or
 * marketing cap waits here for its claim's verdict (a round trip through the claims log). With the policy on, a short wait stays in memory and the
 * job starts over after it ({@link Step#CLAIM}), so the rules are applied when it is due; a long one
 * is left to {@link Step#WAIT}, which defers it.
 *
 * <p>Threading: runs on the sender's event loop, never blocks. Errors: none expected; a refusal is a
 * failed result.
 */
final class Schedule {

    /** The send stage logs under one name, as before it was split into steps. */
    private static final Logger LOG = LoggerFactory.getLogger(SendHandler.class);

    private final Vertx vertx;
    private final MessagingPolicy rules;
    private final CampaignControl campaigns;
    private final Deferrals deferrals;
    private final Deadlines deadlines;
    private final Outcomes outcomes;
    private final Delays delays;
    private final Clock clock;

    /** @param rules the messaging policy, or null to send without it */
    Schedule(Vertx vertx, MessagingPolicy rules, CampaignControl campaigns, Deferrals deferrals, Deadlines deadlines,
             Outcomes outcomes, Delays delays, Clock clock) {
        this.vertx = vertx;
        this.rules = rules;
        this.campaigns = campaigns;
        this.deferrals = deferrals;
        this.deadlines = deadlines;
        this.outcomes = outcomes;
        this.delays = delays;
        this.clock = clock;
    }

    Future<Step> schedule(Flight f) {
        ReadyJob job = f.job;
        if (rules != null) {
            // A refusal no wait can lift is given now, not after the job's not_before or deferral.
            MessagingPolicy.Decision.Refuse lasting = rules.lasting(job, policy(job));
            if (lasting != null) {
                return refuse(f, lasting);
            }
        }
        Deferrals.Carried carried = f.carried;
        if (carried.due() != null && !"campaign_paused".equals(carried.reason())) {
            f.waitUntil(carried.due(), carried.reason());
        }
        if (job.notBefore() != null && (f.due == null || job.notBefore().isAfter(f.due))) {
            f.waitUntil(job.notBefore(), "not_before");
        }
        if (rules == null) {
            return Step.WAIT.now;
        }
        Instant now = clock.instant();
        if (f.due != null && f.due.isAfter(now)) {
            // Not due yet: the rules are applied when it is, so a tier place is not taken early.
            return staysInMemory(job, now, f.due) ? delays.then(Duration.between(now, f.due).toMillis(), Step.CLAIM)
                    : Step.WAIT.now;
        }
        return applyRules(f, now);
    }

    private Future<Step> applyRules(Flight f, Instant now) {
        CompletableFuture<MessagingPolicy.Decision> decision = rules.check(f.job, policy(f.job)).toCompletableFuture();
        if (decision.isDone()) {
            return apply(f, now, decision.join());
        }
        // A claim on the portfolio's budgets: decided when read back from the claims log, off the event loop.
        return Future.fromCompletionStage(decision, vertx.getOrCreateContext())
                .compose(d -> apply(f, clock.instant(), d));
    }

    private Future<Step> apply(Flight f, Instant now, MessagingPolicy.Decision decision) {
        ReadyJob job = f.job;
        if (decision instanceof MessagingPolicy.Decision.Refuse refuse) {
            return refuse(f, refuse);
        }
        if (decision instanceof MessagingPolicy.Decision.Defer defer
                && (f.due == null || defer.due().isAfter(f.due))) {
            if (staysInMemory(job, now, defer.due())) {
                // A short wait stays in memory, and the rules are checked again after it.
                return delays.then(Duration.between(now, defer.due()).toMillis(), Step.CLAIM);
            }
            f.waitUntil(defer.due(), defer.reason());
        }
        return Step.WAIT.now;
    }

    private CampaignPolicy policy(ReadyJob job) {
        return campaigns.current(job.campaignId()).effectivePolicy();
    }

    private Future<Step> refuse(Flight f, MessagingPolicy.Decision.Refuse refuse) {
        LOG.info("job {} to {} refused before sending: {}", f.job.jobId(), PhoneNumbers.mask(f.job.to()),
                refuse.code());
        return f.finish(outcomes.failed(f, f.carried.attempts(), refuse.code(), refuse.title(), refuse.details(),
                null));
    }

    /** Short enough for a timer, and not past the job's deadline (a wait past it ends in {@link Step#WAIT}). */
    private boolean staysInMemory(ReadyJob job, Instant now, Instant due) {
        return !deferrals.defers(now, due) && !deadlines.missedBy(job, due);
    }
}
