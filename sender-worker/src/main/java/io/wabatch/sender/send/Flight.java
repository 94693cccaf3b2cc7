package io.wabatch.sender.send;

import io.vertx.core.Future;
import io.wabatch.common.api.ApiResult;
import io.wabatch.common.api.ErrorAction;
import io.wabatch.common.api.MessageAccepted;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sender.defer.Deferrals;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One ready job on its way through the {@link Step}s: the record and job, the call it is at, what it
 * waits for, the last answer, and at the end its records. One object per job, changed in place, so the
 * steps allocate nothing of their own to pass it on.
 *
 * <p>Not thread-safe, and need not be: the {@link SendMachine} runs one step of a job at a time, the
 * next only after the previous step's future completed, which orders the writes.
 */
final class Flight {

    final ConsumerRecord<byte[], byte[]> record;
    final ReadyJob job;
    /**
     * The key of the recipient's pair window: {@code <channel>/<person>}, the person under one name
     * whichever address (number or business-scoped user ID) the job uses.
     */
    final String pairKey;
    /** The person's pair turn while this flight holds it (from its pair window to its answer), else null. */
    io.vertx.core.Promise<Void> pairTurn;
    /** What the record carries from an earlier deferral. */
    Deferrals.Carried carried = Deferrals.Carried.NONE;
    /** The next API call's number: it counts every call. */
    int number;
    /** 131056 answers so far. */
    int pairHits;
    /** Rate-limit answers so far: they do not count against {@code send.max.attempts}. */
    int throttled;
    /**
     * The partition's ownership epoch when the job first started: a revocation since, even during a
     * short wait after which it starts over, leaves it to the new owner (who has the record too).
     */
    int epoch;
    private boolean started;
    /** Not before this (null: now), and why. */
    Instant due;
    String dueReason;
    /** The endpoint of the last call ({@code messages} or {@code marketing_messages}). */
    String endpoint;
    /** The Marketing Messages API refused this message before processing it: it goes by {@code /messages}. */
    boolean byMessages;
    /** The last call's answer, and its classification when it was an error. */
    ApiResult<MessageAccepted> answer;
    ErrorAction action;
    /** A {@link System#nanoTime} mark of the wait or call being timed. */
    long since;
    /** What to produce for the job, once {@link Step#DONE}. */
    List<ProducerRecord<byte[], byte[]>> output;

    Flight(ConsumerRecord<byte[], byte[]> record, ReadyJob job, String pairKey) {
        this.record = record;
        this.job = job;
        this.pairKey = pairKey;
    }

    /** A flight whose pair window is keyed by the job's own address. */
    Flight(ConsumerRecord<byte[], byte[]> record, ReadyJob job) {
        this(record, job, job.key());
    }

    /**
     * (Re)starts with the counts the record carries; {@code epoch}, the partition's current one, is
     * kept only at the first start.
     */
    void start(Deferrals.Carried carried, int epoch) {
        this.carried = carried;
        this.number = carried.attempts() + 1;
        this.pairHits = carried.pairHits();
        this.throttled = carried.throttled();
        if (!started) {
            this.epoch = epoch;
            started = true;
        }
        noWait();
    }

    /** Moves on to the next call after an answer; a pair hit or a rate limit is counted as such. */
    void next(boolean pairHit, boolean throttledHit) {
        number++;
        if (pairHit) {
            pairHits++;
        }
        if (throttledHit) {
            throttled++;
        }
    }

    /** Calls made so far. */
    int made() {
        return number - 1;
    }

    /** Calls, this one included, that count against the limit. */
    int counted() {
        return number - throttled;
    }

    void waitUntil(Instant due, String reason) {
        this.due = due;
        this.dueReason = reason;
    }

    void noWait() {
        waitUntil(null, null);
    }

    /** Ends the job with these records. */
    Future<Step> finish(List<ProducerRecord<byte[], byte[]>> records) {
        this.output = records;
        return Step.DONE.now;
    }
}
