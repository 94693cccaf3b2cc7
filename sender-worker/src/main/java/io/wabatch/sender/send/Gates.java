package io.wabatch.sender.send;

import io.vertx.core.Future;
import io.wabatch.sender.control.ChannelControl;
import io.wabatch.sender.defer.Deferrals;
import io.wabatch.sender.pace.AdaptivePace;
import io.wabatch.sender.pace.PairPacer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The waits before a call: {@link Step#WAIT} (expiry, then the due time: a timer when short, the
 * deferred topics when long), {@link Step#CHANNEL_GATE}, {@link Step#PAIR_WINDOW},
 * {@link Step#PACE_GATE} and {@link Step#PACE} (the channel runs, the recipient's pair window has
 * room, the channel's pace has a token), and {@link Step#AWAIT_RESUME} after an answer paused the
 * channel.
 *
 * <p>Threading: runs on the sender's event loop, never blocks; the futures complete on it. Errors: a
 * gate's failure (a bug) fails the job's future.
 */
final class Gates {

    private final ChannelControl channels;
    private final PairPacer pairs;
    private final AdaptivePace pace;
    private final Deferrals deferrals;
    private final Deadlines deadlines;
    private final Outcomes outcomes;
    private final Delays delays;
    private final SenderMetrics metrics;
    private final Clock clock;

    Gates(ChannelControl channels, PairPacer pairs, AdaptivePace pace, Deferrals deferrals, Deadlines deadlines,
          Outcomes outcomes, Delays delays, SenderMetrics metrics, Clock clock) {
        this.channels = channels;
        this.pairs = pairs;
        this.pace = pace;
        this.deferrals = deferrals;
        this.deadlines = deadlines;
        this.outcomes = outcomes;
        this.delays = delays;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Expired when past its deadline ({@code not_after}, or its campaign's {@code send_before}) or due
     * only after it; else waits until due.
     */
    Future<Step> waitUntilDue(Flight f) {
        Instant now = clock.instant();
        Deadlines.Deadline deadline = deadlines.of(f.job);
        if (deadline != null && (deadline.passed(now) || deadline.missedBy(f.due))) {
            return f.finish(outcomes.expired(f, deadline.details(now, f.due, f.dueReason)));
        }
        if (f.due != null && f.due.isAfter(now)) {
            if (deferrals.defers(now, f.due)) {
                return f.finish(outcomes.deferred(f, now, f.due, f.dueReason, f.made()));
            }
            long millis = Duration.between(now, f.due).toMillis();
            f.noWait();
            return delays.then(millis, Step.WAIT);
        }
        return Step.CHANNEL_GATE.now;
    }

    Future<Step> channelGate(Flight f) {
        return Step.PAIR_WINDOW.after(channels.await(f.job.channel()));
    }

    Future<Step> pairWindow(Flight f) {
        Future<Void> pair = pairs.acquire(f.job.key());
        if (!pair.isComplete()) {
            metrics.pairWait(f.job.channel());
        }
        return Step.PACE_GATE.after(pair);
    }

    Future<Step> paceGate(Flight f) {
        return Step.PACE.after(channels.await(f.job.channel()));
    }

    /**
     * A token for the next message. A channel paused while the message waited for its token holds it
     * at the gate again, and after the resume it takes a new token: the messages that queued up during
     * the pause go out at the pace, not at once.
     */
    Future<Step> pace(Flight f) {
        f.since = System.nanoTime();
        Future<Void> token = pace.acquire(f.job.channel());
        return token.succeeded() ? tokenTaken(f).now : token.map(v -> tokenTaken(f));
    }

    private Step tokenTaken(Flight f) {
        metrics.tokenWait(f.job.channel(), System.nanoTime() - f.since);
        return channels.paused(f.job.channel()) ? Step.PACE_GATE : Step.RECHECK;
    }

    /** An answer paused the channel or its WABA: nothing was sent, and the job waits for the resume. */
    Future<Step> awaitResume(Flight f) {
        f.noWait();
        return Step.WAIT.after(channels.await(f.job.channel()));
    }
}
