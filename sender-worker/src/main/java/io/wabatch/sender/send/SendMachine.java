package io.wabatch.sender.send;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The driver of the send stage: takes one job ({@link Flight}) from {@link Step#CLAIM} to
 * {@link Step#DONE}, running the step it is at and moving it to the one that step returns. Steps
 * that complete at once run one after another in a loop; at the first that does not (a gate, a
 * token, a timer, the ledger, the API), the driver returns and resumes from that future's callback —
 * on the thread that completes it, the sender's event loop, with no hop of its own.
 *
 * <p>Threading: {@link #run} is called on the sender's event loop. Errors: a step that throws or whose
 * future fails fails the job's future (the loop then parks the job); expected failures are records.
 */
final class SendMachine {

    private final LedgerClaim claim;
    private final Schedule schedule;
    private final Gates gates;
    private final ApiCall call;
    private final Classify classify;
    private final Retry retry;

    SendMachine(LedgerClaim claim, Schedule schedule, Gates gates, ApiCall call, Classify classify, Retry retry) {
        this.claim = claim;
        this.schedule = schedule;
        this.gates = gates;
        this.call = call;
        this.classify = classify;
        this.retry = retry;
    }

    /** Takes the job through its steps; completes with its records. */
    Future<List<ProducerRecord<byte[], byte[]>>> run(Flight flight) {
        return advance(flight, Step.CLAIM.now, null);
    }

    /**
     * Runs steps for as long as they complete at once, from {@code next}; then completes {@code done}
     * (created on the first wait; null until then, so a job that never waits allocates none).
     */
    private Future<List<ProducerRecord<byte[], byte[]>>> advance(Flight flight, Future<Step> next,
                                                                 Promise<List<ProducerRecord<byte[], byte[]>>> done) {
        Future<Step> pending = next;
        while (pending.isComplete()) {
            if (pending.failed()) {
                gates.releasePairTurn(flight);
                return fail(done, pending.cause());
            }
            Step step = pending.result();
            if (step == Step.DONE) {
                gates.releasePairTurn(flight);
                return complete(done, flight.output);
            }
            pending = execute(step, flight);
        }
        Promise<List<ProducerRecord<byte[], byte[]>>> waiting = done != null ? done : Promise.promise();
        Future<Step> resumed = pending;
        resumed.onComplete(ar -> advance(flight, resumed, waiting));
        return waiting.future();
    }

    private Future<Step> execute(Step step, Flight flight) {
        try {
            return switch (step) {
                case CLAIM -> claim.claim(flight);
                case SCHEDULE -> schedule.schedule(flight);
                case WAIT -> gates.waitUntilDue(flight);
                case CHANNEL_GATE -> gates.channelGate(flight);
                case PAIR_WINDOW -> gates.pairWindow(flight);
                case PACE_GATE -> gates.paceGate(flight);
                case PACE -> gates.pace(flight);
                case RECHECK -> call.recheck(flight);
                case RECORD_ATTEMPT -> call.recordAttempt(flight);
                case SEND_SLOT -> call.sendSlot(flight);
                case REQUEST -> call.request(flight);
                case CLASSIFY -> {
                    gates.releasePairTurn(flight); // answered: the window counts from here (PairPacer.sent)
                    yield classify.classify(flight);
                }
                case AWAIT_RESUME -> gates.awaitResume(flight);
                case RETRY -> retry.retry(flight);
                case DONE -> throw new IllegalStateException("a finished job has no step to run");
            };
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private static <T> Future<T> complete(Promise<T> done, T result) {
        if (done == null) {
            return Future.succeededFuture(result);
        }
        done.complete(result);
        return done.future();
    }

    private static <T> Future<T> fail(Promise<T> done, Throwable cause) {
        if (done == null) {
            return Future.failedFuture(cause);
        }
        done.fail(cause);
        return done.future();
    }
}
