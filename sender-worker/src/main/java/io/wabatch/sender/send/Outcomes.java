package io.wabatch.sender.send;

import io.wabatch.common.api.ApiError;
import io.wabatch.common.api.MessageAccepted;
import io.wabatch.common.contract.Bsuids;
import io.wabatch.common.contract.Identity;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.contract.ResultError;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.sender.defer.Deferrals;
import io.wabatch.sender.ledger.LedgerEntry;
import io.wabatch.sender.ledger.SendLedger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The records that end a job — result, deferral, dead letter, re-upload request — each with the
 * ledger record of the job's new state (when there is a ledger) and the outcome's metric.
 *
 * <p>Threading: called on the sender's event loop; builds records and counts, never blocks, and does
 * no I/O (the records are produced by the loop). Errors: none expected; a bug throws.
 */
final class Outcomes {

    private final Outputs outputs;
    private final Deferrals deferrals;
    private final SendLedger ledger;
    private final SenderMetrics metrics;
    private final Clock clock;

    /** @param ledger the send ledger, or null to send without one */
    Outcomes(Outputs outputs, Deferrals deferrals, SendLedger ledger, SenderMetrics metrics, Clock clock) {
        this.outputs = outputs;
        this.deferrals = deferrals;
        this.ledger = ledger;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Sent before (the ledger knows): a result, nothing new in the ledger. */
    List<ProducerRecord<byte[], byte[]>> duplicate(ReadyJob job) {
        metrics.outcome(job.channel(), type(job), Outcome.DUPLICATE_SUPPRESSED.wireName());
        return List.of(outputs.result(result(job, Outcome.DUPLICATE_SUPPRESSED, null, 0, null)));
    }

    /**
     * Accepted: its result, and, when the answer names the business-scoped user ID of a number sent to by
     * {@code to}, the pair for {@code wa.identities} (source {@code api}), so the person is one whichever
     * address a later job, opt-out or webhook uses.
     */
    List<ProducerRecord<byte[], byte[]>> accepted(Flight f, MessageAccepted answer) {
        metrics.outcome(f.job.channel(), type(f.job), Outcome.ACCEPTED.wireName());
        List<ProducerRecord<byte[], byte[]>> records = withLedger(f.job, LedgerEntry.State.ACCEPTED, f.number,
                answer.wamid(), outputs.result(result(f.job, Outcome.ACCEPTED, answer.wamid(), f.number, null,
                        f.endpoint)));
        String to = f.job.to();
        if (answer.userId() == null || !Bsuids.isBsuid(answer.userId()) || to == null || Bsuids.isBsuid(to)) {
            return records;
        }
        List<ProducerRecord<byte[], byte[]>> withIdentity = new java.util.ArrayList<>(records);
        withIdentity.add(outputs.identity(new Identity(answer.userId(), to, "api", clock.instant())));
        return withIdentity;
    }

    /** In doubt: it may have been sent, so it is parked (dead letter and result) rather than resent. */
    List<ProducerRecord<byte[], byte[]>> parked(Flight f, int attempts, String why, Integer httpStatus) {
        metrics.outcome(f.job.channel(), type(f.job), Outcome.PARKED.wireName());
        return park(f.record, f.job, attempts, why, httpStatus);
    }

    List<ProducerRecord<byte[], byte[]>> park(ConsumerRecord<byte[], byte[]> record, ReadyJob job, int attempts,
                                              String why, Integer httpStatus) {
        String details = why + "; it may have been sent, so it is parked instead of resent. Re-drive it only "
                + "after checking its status.";
        ResultError error = new ResultError("in_doubt", "Answer lost", details, httpStatus);
        return withLedger(job, LedgerEntry.State.FINAL, attempts, null,
                outputs.deadLetter(record, record.value(), job.jobId(), "in_doubt", details),
                outputs.result(result(job, Outcome.PARKED, null, attempts, error)));
    }

    /** Failed for good, counted as such. */
    List<ProducerRecord<byte[], byte[]>> failed(Flight f, int attempts, String code, String title, String details,
                                                Integer httpStatus) {
        metrics.outcome(f.job.channel(), type(f.job), Outcome.FAILED.wireName());
        return fail(f.record, f.job, attempts, code, title, details, httpStatus);
    }

    /** Failed for good: a dead letter and a result (no metric: the caller counts it, or not). */
    List<ProducerRecord<byte[], byte[]>> fail(ConsumerRecord<byte[], byte[]> record, ReadyJob job, int attempts,
                                              String code, String title, String details, Integer httpStatus) {
        return withLedger(job, LedgerEntry.State.FINAL, attempts, null,
                outputs.deadLetter(record, record.value(), job.jobId(), code, details),
                outputs.result(result(job, Outcome.FAILED, null, attempts,
                        new ResultError(code, title, details, httpStatus))));
    }

    List<ProducerRecord<byte[], byte[]>> expired(Flight f, String details) {
        metrics.outcome(f.job.channel(), type(f.job), Outcome.EXPIRED.wireName());
        return withLedger(f.job, LedgerEntry.State.FINAL, f.made(), null, outputs.result(result(f.job,
                Outcome.EXPIRED, null, f.made(), new ResultError("expired", "Expired before sending", details, null))));
    }

    List<ProducerRecord<byte[], byte[]>> cancelled(Flight f, CampaignCommand campaign) {
        ReadyJob job = f.job;
        metrics.outcome(job.channel(), type(job), Outcome.CANCELLED.wireName());
        return withLedger(job, LedgerEntry.State.FINAL, f.made(), null, outputs.result(result(job, Outcome.CANCELLED,
                null, f.made(), new ResultError("cancelled", "Campaign cancelled", "campaign " + job.campaignId()
                        + " was cancelled by " + campaign.by() + (campaign.reason() == null ? ""
                        : " (" + campaign.reason() + ")") + " before this message was sent", null))));
    }

    /** To the deferred topics until {@code due}, with the counts to carry. */
    List<ProducerRecord<byte[], byte[]>> deferred(Flight f, Instant now, Instant due, String reason, int attempts) {
        metrics.deferred(f.job.channel(), reason);
        return withLedger(f.job, LedgerEntry.State.DEFERRED, attempts, null,
                deferrals.defer(f.record, now, due, reason, attempts, f.pairHits, f.throttled));
    }

    /** Back to the upload worker for new media ids; the next generation is another job for the ledger. */
    List<ProducerRecord<byte[], byte[]>> reupload(Flight f) {
        metrics.retry(f.job.channel(), "reupload");
        return withLedger(f.job, LedgerEntry.State.REUPLOADED, f.number, null,
                outputs.reuploadRequest(f.job.key(), f.record.value()));
    }

    List<ProducerRecord<byte[], byte[]>> unreadable(ConsumerRecord<byte[], byte[]> record, String reason) {
        return outputs.unreadable(record, "invalid_ready_job", "Malformed ready job", reason, clock.instant());
    }

    /** The answer proved the call was not processed: noted in the ledger, without waiting for it. */
    void notSent(Flight f) {
        if (ledger != null) {
            ledger.note(f.job, LedgerEntry.State.NOT_SENT, f.number);
        }
    }

    private List<ProducerRecord<byte[], byte[]>> withLedger(ReadyJob job, LedgerEntry.State state, int attempts,
                                                            String wamid, ProducerRecord<byte[], byte[]> record) {
        return ledger == null ? List.of(record) : List.of(record, ledger.outcome(job, state, attempts, wamid));
    }

    private List<ProducerRecord<byte[], byte[]>> withLedger(ReadyJob job, LedgerEntry.State state, int attempts,
                                                            String wamid, ProducerRecord<byte[], byte[]> first,
                                                            ProducerRecord<byte[], byte[]> second) {
        return ledger == null ? List.of(first, second)
                : List.of(first, second, ledger.outcome(job, state, attempts, wamid));
    }

    private JobResult result(ReadyJob job, Outcome outcome, String wamid, int attempts, ResultError error) {
        return result(job, outcome, wamid, attempts, error, null);
    }

    private JobResult result(ReadyJob job, Outcome outcome, String wamid, int attempts, ResultError error,
                             String endpoint) {
        Instant now = clock.instant();
        return new JobResult(job.jobId(), job.campaignId(), job.channel(), job.to(), outcome, wamid, error, attempts,
                job.callbackData(), job.generation(), job.enqueuedAt(), job.uploadedAt(),
                outcome == Outcome.ACCEPTED ? now : null, now, endpoint);
    }

    static String type(ReadyJob job) {
        return job.type();
    }

    /** The error's code for metrics and dead letters: the API's, else the HTTP status, else {@code transport}. */
    static String code(ApiError error) {
        return error.code() != null ? error.code().toString()
                : error.httpStatus() == 0 ? "transport" : "http_" + error.httpStatus();
    }
}
