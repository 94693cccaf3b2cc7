package io.wabatch.sender.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.wabatch.common.api.ApiError;
import io.wabatch.common.api.ApiResult;
import io.wabatch.common.api.ErrorAction;
import io.wabatch.common.api.ErrorClassifier;
import io.wabatch.common.api.MessageAccepted;
import io.wabatch.common.api.WhatsAppClient;
import io.wabatch.common.contract.CallbackToken;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.PhoneNumbers;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.contract.ResultError;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.kafka.RecordHandler;
import io.wabatch.sender.pace.AdaptivePace;
import io.wabatch.sender.pace.ChannelGate;
import io.wabatch.sender.pace.PairPacer;
import io.wabatch.sender.retry.Backoff;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send stage for one {@code wa.jobs.ready} record: wait for the channel's pace, call
 * {@code /messages} with the correlation token, retry what is safe to retry with backoff, and
 * turn the answer into a result. A call whose answer was lost (timeout, reset, 5xx) may already
 * have been sent: it is never retried blindly but parked as in doubt (DESIGN §4.8).
 */
public final class SendHandler implements RecordHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SendHandler.class);
    private static final Set<ErrorAction.Kind> RETRYABLE = EnumSet.of(ErrorAction.Kind.RETRY_NOW,
            ErrorAction.Kind.RETRY_LATER, ErrorAction.Kind.LOWER_PACE, ErrorAction.Kind.RECIPIENT_BACKOFF,
            ErrorAction.Kind.PAUSE_WABA);

    private final Vertx vertx;
    private final AdaptivePace pace;
    private final PairPacer pairs;
    private final ChannelGate gate;
    private final java.util.function.BiConsumer<String, String> pauseAnnouncer;
    private final Function<String, WhatsAppClient> clients;
    private final Outputs outputs;
    private final Policy policy;
    private final SenderMetrics metrics;
    private final Clock clock;

    /**
     * How hard to try.
     *
     * @param backoff      backoff between retries of transient errors
     * @param maxAttempts  API calls per message before a retryable error is final
     * @param pairBackoff  base of the 4^n backoff after 131056
     * @param resendInDoubt retry calls whose answer was lost instead of parking them (may duplicate)
     */
    public record Policy(Backoff backoff, int maxAttempts, java.time.Duration pairBackoff, boolean resendInDoubt) {
    }

    /**
     * @param gate           channels that may not send; a channel-level API error pauses it here
     * @param pauseAnnouncer told (channel, reason) when this sender pauses a channel, to publish it
     *                       to {@code wa.control} for every instance and restart
     */
    public SendHandler(Vertx vertx, AdaptivePace pace, PairPacer pairs, ChannelGate gate,
                       java.util.function.BiConsumer<String, String> pauseAnnouncer,
                       Function<String, WhatsAppClient> clients, Outputs outputs, Policy policy, SenderMetrics metrics,
                       Clock clock) {
        this.vertx = vertx;
        this.pace = pace;
        this.pairs = pairs;
        this.gate = gate;
        this.pauseAnnouncer = pauseAnnouncer;
        this.clients = clients;
        this.outputs = outputs;
        this.policy = policy;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public Future<List<ProducerRecord<byte[], byte[]>>> handle(ConsumerRecord<byte[], byte[]> record) {
        ReadyJob job;
        try {
            job = ReadyJob.decode(record.value());
        } catch (IOException | RuntimeException e) {
            return Future.succeededFuture(unreadable(record, "malformed ready job: " + e.getMessage()));
        }
        if (clients.apply(job.channel()) == null) {
            return Future.succeededFuture(fail(record, job, 0, "unknown_channel", "Unknown channel",
                    "channel '" + job.channel() + "' is not in this sender's registry", null));
        }
        return attempt(record, job, new Attempt(1, 0));
    }

    /** The attempt number and how many 131056 answers this message has had. */
    private record Attempt(int number, int pairHits) {
        Attempt next(boolean pairHit) {
            return new Attempt(number + 1, pairHit ? pairHits + 1 : pairHits);
        }
    }

    private Future<List<ProducerRecord<byte[], byte[]>>> attempt(ConsumerRecord<byte[], byte[]> record, ReadyJob job,
                                                                 Attempt attempt) {
        if (job.notAfter() != null && clock.instant().isAfter(job.notAfter())) {
            metrics.outcome(job.channel(), type(job), Outcome.EXPIRED.wireName());
            return Future.succeededFuture(List.of(outputs.result(result(job, Outcome.EXPIRED, null, attempt.number() - 1,
                    new ResultError("expired", "Expired before sending", "not_after " + job.notAfter() + " passed", null)))));
        }
        return gate.await(job.channel())
                .compose(v -> pairs.acquire(job.key()))
                .compose(v -> pace.acquire(job.channel()))
                .compose(v -> {
                    long started = System.nanoTime();
                    return clients.apply(job.channel()).send(body(job))
                            .onComplete(ar -> {
                                // The API counted the message before it answered: the window runs from the answer.
                                pairs.sent(job.key());
                                metrics.apiCall(job.channel(), System.nanoTime() - started);
                            });
                })
                .compose(answer -> answered(record, job, attempt, answer));
    }

    private Future<List<ProducerRecord<byte[], byte[]>>> answered(ConsumerRecord<byte[], byte[]> record, ReadyJob job,
                                                                  Attempt attempt, ApiResult<MessageAccepted> answer) {
        if (answer.isOk()) {
            metrics.outcome(job.channel(), type(job), Outcome.ACCEPTED.wireName());
            return Future.succeededFuture(List.of(outputs.result(result(job, Outcome.ACCEPTED, answer.value().wamid(),
                    attempt.number(), null))));
        }
        ApiError error = answer.error();
        ErrorAction action = ErrorClassifier.classify(error);
        metrics.error(job.channel(), code(error));
        if (action.mayHaveBeenSent() && policy.resendInDoubt() && attempt.number() < policy.maxAttempts()) {
            LOG.warn("job {} to {}: answer lost ({}); resending as configured (send.in.doubt=resend)", job.jobId(),
                    PhoneNumbers.mask(job.to()), error.describe());
            return retry(record, job, attempt, action);
        }
        if (action.mayHaveBeenSent()) {
            LOG.warn("job {} to {}: answer lost ({}); parked as in doubt, not resent", job.jobId(),
                    PhoneNumbers.mask(job.to()), error.describe());
            metrics.outcome(job.channel(), type(job), Outcome.PARKED.wireName());
            return Future.succeededFuture(park(record, job, attempt.number(), error));
        }
        if (action.kind() == ErrorAction.Kind.PAUSE_CHANNEL) {
            return pauseAndWait(record, job, attempt, error);
        }
        if (action.kind() == ErrorAction.Kind.REUPLOAD_MEDIA && job.generation() == 1 && !job.media().isEmpty()) {
            LOG.info("job {}: media id unknown or expired ({}); sent back for re-upload", job.jobId(), error.describe());
            metrics.retry(job.channel(), "reupload");
            return Future.succeededFuture(List.of(outputs.reuploadRequest(job.key(), record.value())));
        }
        if (RETRYABLE.contains(action.kind()) && attempt.number() < policy.maxAttempts()) {
            return retry(record, job, attempt, action);
        }
        LOG.warn("job {} to {} failed after {} attempt(s): {}", job.jobId(), PhoneNumbers.mask(job.to()),
                attempt.number(), error.describe());
        metrics.outcome(job.channel(), type(job), Outcome.FAILED.wireName());
        return Future.succeededFuture(fail(record, job, attempt.number(), code(error), error.title(),
                action.kind() + ": " + error.describe(), error.httpStatus() == 0 ? null : error.httpStatus()));
    }

    /** The channel cannot send at all: pause it (nothing is failed) and send this message once it resumes. */
    private Future<List<ProducerRecord<byte[], byte[]>>> pauseAndWait(ConsumerRecord<byte[], byte[]> record,
                                                                      ReadyJob job, Attempt attempt, ApiError error) {
        String reason = error.describe();
        if (gate.pause(job.channel(), reason)) {
            LOG.error("channel {} paused: {}. Its messages wait; resume with 'wabatch channel resume {}' once fixed",
                    job.channel(), reason, job.channel());
            pauseAnnouncer.accept(job.channel(), reason);
        }
        metrics.retry(job.channel(), "channel_paused");
        return gate.await(job.channel()).compose(v -> attempt(record, job, attempt));
    }

    private Future<List<ProducerRecord<byte[], byte[]>>> retry(ConsumerRecord<byte[], byte[]> record, ReadyJob job,
                                                               Attempt attempt, ErrorAction action) {
        boolean pairHit = action.kind() == ErrorAction.Kind.RECIPIENT_BACKOFF;
        if (action.kind() == ErrorAction.Kind.LOWER_PACE) {
            pace.throughputLimitHit(job.channel());
        }
        long delay = pairHit
                ? policy.pairBackoff().toMillis() << (2 * Math.min(attempt.pairHits(), 10))
                : policy.backoff().delay(attempt.number()).toMillis();
        metrics.retry(job.channel(), action.kind().name().toLowerCase(java.util.Locale.ROOT));
        LOG.debug("job {}: attempt {} failed ({}), retrying in {} ms", job.jobId(), attempt.number(), action.reason(),
                delay);
        return delay(delay).compose(v -> attempt(record, job, attempt.next(pairHit)));
    }

    /** The complete /messages body: the ready message plus recipient and correlation token. */
    static ObjectNode body(ReadyJob job) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", "+" + job.to());
        body.setAll(job.message());
        body.put("biz_opaque_callback_data",
                new CallbackToken(job.campaignId(), job.jobId(), job.generation()).encode());
        return body;
    }

    private Future<Void> delay(long millis) {
        Promise<Void> promise = Promise.promise();
        vertx.setTimer(Math.max(1, millis), t -> promise.complete());
        return promise.future();
    }

    private List<ProducerRecord<byte[], byte[]>> park(ConsumerRecord<byte[], byte[]> record, ReadyJob job, int attempt,
                                                      ApiError error) {
        String details = "the call's answer was lost (" + error.describe() + "); it may have been sent, so it is "
                + "parked instead of resent. Re-drive it only after checking its status.";
        ResultError resultError = new ResultError("in_doubt", "Answer lost", details,
                error.httpStatus() == 0 ? null : error.httpStatus());
        return List.of(outputs.deadLetter(record, record.value(), job.jobId(), "in_doubt", details),
                outputs.result(result(job, Outcome.PARKED, null, attempt, resultError)));
    }

    private List<ProducerRecord<byte[], byte[]>> fail(ConsumerRecord<byte[], byte[]> record, ReadyJob job, int attempts,
                                                      String code, String title, String details, Integer httpStatus) {
        return List.of(outputs.deadLetter(record, record.value(), job.jobId(), code, details),
                outputs.result(result(job, Outcome.FAILED, null, attempts,
                        new ResultError(code, title, details, httpStatus))));
    }

    private List<ProducerRecord<byte[], byte[]>> unreadable(ConsumerRecord<byte[], byte[]> record, String reason) {
        String jobId = Outputs.unreadableJobId(record);
        return List.of(outputs.deadLetter(record, record.value(), jobId, "invalid_ready_job", reason),
                outputs.result(new JobResult(jobId, null, null, null, Outcome.FAILED, null,
                        new ResultError("invalid_ready_job", "Malformed ready job", reason, null), 0, null, 1,
                        null, null, null, clock.instant())));
    }

    private JobResult result(ReadyJob job, Outcome outcome, String wamid, int attempts, ResultError error) {
        Instant now = clock.instant();
        return new JobResult(job.jobId(), job.campaignId(), job.channel(), job.to(), outcome, wamid, error, attempts,
                job.callbackData(), job.generation(), job.enqueuedAt(), job.uploadedAt(),
                outcome == Outcome.ACCEPTED ? now : null, now);
    }

    private static String type(ReadyJob job) {
        return job.message().path("type").asText("unknown");
    }

    private static String code(ApiError error) {
        return error.code() != null ? error.code().toString() : error.httpStatus() == 0 ? "transport" : "http_" + error.httpStatus();
    }

    /** Messages to one recipient keep their order: the key is {@code <channel>/<recipient>}. */
    @Override
    public java.util.Collection<String> orderingKeys(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? List.of() : List.of(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public List<ProducerRecord<byte[], byte[]>> onUnexpectedFailure(ConsumerRecord<byte[], byte[]> record,
                                                                    Throwable error) {
        LOG.error("unexpected error sending {}/{}@{}", record.topic(), record.partition(), record.offset(), error);
        metrics.outcome("unknown", "unknown", Outcome.PARKED.wireName());
        try {
            // The call may or may not have happened: park the job rather than risk a duplicate.
            return park(record, ReadyJob.decode(record.value()), 0,
                    new ApiError(0, null, null, "internal error", error.toString(), null, true));
        } catch (IOException | RuntimeException e) {
            return unreadable(record, "internal error in the sender worker: " + error);
        }
    }
}
