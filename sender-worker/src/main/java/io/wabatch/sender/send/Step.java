package io.wabatch.sender.send;

import io.vertx.core.Future;

/**
 * Where one ready job stands in the send stage; {@link SendMachine} runs the step the job is at and
 * moves it to the step that returns, until {@link #DONE}:
 *
 * <pre>
 * CLAIM          → SCHEDULE | DONE
 * SCHEDULE       → WAIT | CLAIM (after a short wait, to check again) | DONE
 * WAIT           → CHANNEL_GATE | WAIT (after a short wait) | DONE
 * CHANNEL_GATE   → PAIR_WINDOW
 * PAIR_WINDOW    → PACE_GATE
 * PACE_GATE      → PACE
 * PACE           → RECHECK | PACE_GATE (the channel was paused meanwhile)
 * RECHECK        → RECORD_ATTEMPT | WAIT (expired: ends there) | DONE
 * RECORD_ATTEMPT → SEND_SLOT
 * SEND_SLOT      → REQUEST
 * REQUEST        → CLASSIFY
 * CLASSIFY       → RETRY | AWAIT_RESUME | DONE
 * AWAIT_RESUME   → WAIT
 * RETRY          → WAIT (after the backoff, or expired) | DONE
 * </pre>
 *
 * Every step may also end the job ({@link #DONE}) with its records: a result, a deferral, a dead
 * letter, a re-upload request, or nothing (the partition went to another sender).
 */
enum Step {
    /** What the ledger knows (sent before: suppressed; in flight at a crash: in doubt), and the campaign's state. */
    CLAIM,
    /** When it is due (deferral headers, {@code not_before}) and what the messaging policy says. */
    SCHEDULE,
    /** Expiry, then the wait until due: on a timer when short, else in the deferred topics. */
    WAIT,
    /** The channel is running (not paused by the API or an operator). */
    CHANNEL_GATE,
    /** The recipient's pair window has room. */
    PAIR_WINDOW,
    /** The channel is running, again, before a token is taken. */
    PACE_GATE,
    /** A token of the channel's pace; a channel paused meanwhile sends the job back to {@link #PACE_GATE}. */
    PACE,
    /** Still owned, not expired, campaign still running, after all the waiting. */
    RECHECK,
    /** The ledger's attempt entry, acknowledged before the call. */
    RECORD_ATTEMPT,
    /** The channel's send slot (its per-second cap). */
    SEND_SLOT,
    /** The API call. */
    REQUEST,
    /** The answer becomes a result, a park, a pause, a re-upload or a retry. */
    CLASSIFY,
    /** The channel or its WABA was paused by an answer: wait for it to run again. */
    AWAIT_RESUME,
    /** The backoff before the next call: a timer, or the deferred topics. */
    RETRY,
    /** Finished: the job's records are in its {@link Flight}. */
    DONE;

    /** This step, as a future that is already complete (shared: no allocation per transition). */
    final Future<Step> now = Future.succeededFuture(this);

    /** This step once {@code gate} succeeds: {@link #now} when it already has, else when it does. */
    Future<Step> after(Future<?> gate) {
        return gate.succeeded() ? now : gate.map(this);
    }
}
