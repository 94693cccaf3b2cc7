package io.wabatch.sender.send;

import io.vertx.core.Future;
import io.wabatch.common.api.ErrorAction;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sender.defer.Deferrals;
import io.wabatch.sender.pace.AdaptivePace;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Step#RETRY}: the backoff before the next call, waited out on a timer, or in the deferred
 * topics when it is longer than memory should hold. A 131056 (pair limit) backs off 4^n × the base,
 * capped; a 130429 lowers the channel's pace and backs off by its own count, which does not spend the
 * attempts other errors get.
 *
 * <p>Threading: runs on the sender's event loop, never blocks. Errors: none expected.
 */
final class Retry {

    /** The send stage logs under one name, as before it was split into steps. */
    private static final Logger LOG = LoggerFactory.getLogger(SendHandler.class);
    /** Longest pair backoff (4^n × the base would reach days): one hour. */
    private static final long MAX_PAIR_BACKOFF_MS = 3_600_000L;

    private final AdaptivePace pace;
    private final SendHandler.Policy policy;
    private final Deferrals deferrals;
    private final Deadlines deadlines;
    private final Outcomes outcomes;
    private final Delays delays;
    private final SenderMetrics metrics;
    private final Clock clock;

    Retry(AdaptivePace pace, SendHandler.Policy policy, Deferrals deferrals, Deadlines deadlines, Outcomes outcomes,
          Delays delays, SenderMetrics metrics, Clock clock) {
        this.pace = pace;
        this.policy = policy;
        this.deferrals = deferrals;
        this.deadlines = deadlines;
        this.outcomes = outcomes;
        this.delays = delays;
        this.metrics = metrics;
        this.clock = clock;
    }

    Future<Step> retry(Flight f) {
        ReadyJob job = f.job;
        ErrorAction action = f.action;
        boolean pairHit = action.kind() == ErrorAction.Kind.RECIPIENT_BACKOFF;
        boolean lowerPace = action.kind() == ErrorAction.Kind.LOWER_PACE;
        if (lowerPace) {
            pace.throughputLimitHit(job.channel());
        }
        long delay = backoff(f, pairHit, lowerPace);
        String reason = pairHit ? "pair_limit" : "retry";
        metrics.retry(job.channel(), action.kind().name().toLowerCase(Locale.ROOT));
        if (!action.mayHaveBeenSent()) {
            outcomes.notSent(f);
        }
        int failed = f.number;
        f.next(pairHit, Verdict.throttled(action.kind()));
        Instant now = clock.instant();
        Instant due = now.plusMillis(delay);
        if (deadlines.missedBy(job, due)) {
            f.waitUntil(due, reason); // too late: WAIT ends it as expired
            return Step.WAIT.now;
        }
        if (deferrals.defers(now, due)) {
            LOG.debug("job {}: attempt {} failed ({}), deferred for {} ms", job.jobId(), failed, action.reason(),
                    delay);
            return f.finish(outcomes.deferred(f, now, due, reason, failed));
        }
        LOG.debug("job {}: attempt {} failed ({}), retrying in {} ms", job.jobId(), failed, action.reason(), delay);
        f.noWait();
        return delays.then(delay, Step.WAIT);
    }

    /** The backoff after the call {@code f} is at (before it moves on to the next). */
    private long backoff(Flight f, boolean pairHit, boolean lowerPace) {
        if (pairHit) {
            return Math.min(MAX_PAIR_BACKOFF_MS, policy.pairBackoff().toMillis() << (2 * Math.min(f.pairHits, 10)));
        }
        int throttledNext = lowerPace ? f.throttled + 1 : f.throttled;
        long delay = policy.backoff().delay(lowerPace ? throttledNext : f.counted()).toMillis();
        if (lowerPace && throttledNext > 2 * policy.maxAttempts()) {
            // A storm that outlasts the in-memory retries (minutes at the default backoff): wait in the
            // first deferred tier, so the job does not hold a window slot and its partition's commit.
            delay = Math.max(delay, deferrals.threshold().toMillis() + 1);
        }
        return delay;
    }
}
