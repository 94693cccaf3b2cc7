package io.wabatch.sender.send;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.wabatch.sender.control.ChannelControl;
import io.wabatch.sender.defer.Deferrals;
import io.wabatch.sender.pace.AdaptivePace;
import io.wabatch.sender.pace.PairPacer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

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

    /** Each person's pair turn, by pair key, while a flight holds it. */
    private final Map<String, Future<Void>> turns = new HashMap<>();
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

    /**
     * The person's pair window. One flight per person holds their turn from here to its answer: records of
     * one key are handed over one at a time by the loop, but a person addressed by number in one job and by
     * business-scoped user ID in another has two keys, and the two must not go back to back (131056).
     */
    Future<Step> pairWindow(Flight f) {
        if (f.pairTurn == null) {
            Future<Void> held = turns.get(f.pairKey);
            if (held != null) {
                return Step.PAIR_WINDOW.after(held);
            }
            f.pairTurn = Promise.promise();
            turns.put(f.pairKey, f.pairTurn.future());
        }
        Future<Void> pair = pairs.acquire(f.pairKey);
        if (!pair.isComplete()) {
            metrics.pairWait(f.job.channel());
        }
        return Step.PACE_GATE.after(pair);
    }

    /** The flight's call was answered, or it finished without one: the person's next message may take its turn. */
    void releasePairTurn(Flight f) {
        Promise<Void> turn = f.pairTurn;
        if (turn != null) {
            f.pairTurn = null;
            turns.remove(f.pairKey, turn.future());
            turn.complete();
        }
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
