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
import io.wabatch.common.contract.InDoubtPolicy;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.PhoneNumbers;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.contract.ResultError;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.kafka.RecordHandler;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.sender.control.CampaignControl;
import io.wabatch.sender.control.ChannelControl;
import io.wabatch.sender.defer.Deferrals;
import io.wabatch.sender.ledger.LedgerEntry;
import io.wabatch.sender.ledger.SendLedger;
import io.wabatch.sender.pace.AdaptivePace;
import io.wabatch.sender.pace.PairPacer;
import io.wabatch.sender.policy.MessagingPolicy;
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
 * The send stage for one {@code wa.jobs.ready} record: wait until it is due (long waits leave for
 * the deferred topics), until its channel may send, for its recipient's pair window and the
 * channel's pace; call {@code /messages} with the correlation token; turn the answer into the
 * right action and a result. A call whose answer was lost (timeout, reset, 5xx) may already have
 * been sent: it is in doubt, and parked (DESIGN §4.8) unless its campaign job's {@code in_doubt},
 * or without one the worker's {@code send.in.doubt}, says resend.
 */
public final class SendHandler implements RecordHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SendHandler.class);
    /** Retried until {@code send.max.attempts} calls were made. */
    private static final Set<ErrorAction.Kind> RETRYABLE = EnumSet.of(ErrorAction.Kind.RETRY_NOW,
            ErrorAction.Kind.RETRY_LATER);
    /**
     * Rate limits: the API refused the message before sending it, so it is retried (at a lower pace,
     * after the pair backoff) however often, until it is sent or its {@code not_after} passes.
     */
    private static final Set<ErrorAction.Kind> THROTTLED = EnumSet.of(ErrorAction.Kind.LOWER_PACE,
            ErrorAction.Kind.RECIPIENT_BACKOFF);
    /** Longest pair backoff (4^n × the base would reach days): one hour. */
    private static final long MAX_PAIR_BACKOFF_MS = 3_600_000L;

    private final Vertx vertx;
    private final AdaptivePace pace;
    private final PairPacer pairs;
    private final ChannelControl channels;
    private final CampaignControl campaigns;
    private final MessagingPolicy rules;
    private final Function<String, WhatsAppClient> clients;
    private final Outputs outputs;
    private final Deferrals deferrals;
    private final SendLedger ledger;
    private final java.util.Map<Integer, Integer> epochs = new java.util.concurrent.ConcurrentHashMap<>();
    private final Policy policy;
    private final SenderMetrics metrics;
    private final Clock clock;

    /**
     * How hard to try.
     *
     * @param backoff      backoff between retries of transient errors
     * @param maxAttempts  API calls per message before a retryable error is final
     * @param pairBackoff  base of the 4^n backoff after 131056
     * @param inDoubtDefault what happens to in-doubt jobs that carry no {@code in_doubt} of their own
     */
    public record Policy(Backoff backoff, int maxAttempts, java.time.Duration pairBackoff,
                         InDoubtPolicy inDoubtDefault) {

        /** The job's own {@code in_doubt} if it has one, else the worker's default. */
        public InDoubtPolicy inDoubt(ReadyJob job) {
            return job.inDoubt() != null ? job.inDoubt() : inDoubtDefault;
        }

        /** Where the decision came from, for logs: {@code in_doubt=resend} or {@code send.in.doubt=park}. */
        String inDoubtSource(ReadyJob job) {
            return (job.inDoubt() != null ? "in_doubt=" : "send.in.doubt=") + inDoubt(job).wireName();
        }
    }

    /**
     * @param channels which channels may send; channel-level API errors pause channels there
     * @param campaigns which campaigns are paused or cancelled
     * @param rules     opt-outs, the 24-hour window, quiet hours and tiers; null to send without them
     * @param deferrals where waits too long for memory go
     * @param ledger    the send ledger, or null to send without one (duplicates after a crash possible)
     */
    public SendHandler(Vertx vertx, AdaptivePace pace, PairPacer pairs, ChannelControl channels,
                       CampaignControl campaigns, MessagingPolicy rules, Function<String, WhatsAppClient> clients, Outputs outputs, Deferrals deferrals, SendLedger ledger,
                       Policy policy, SenderMetrics metrics, Clock clock) {
        this.vertx = vertx;
        this.pace = pace;
        this.pairs = pairs;
        this.channels = channels;
        this.campaigns = campaigns;
        this.rules = rules;
        this.clients = clients;
        this.outputs = outputs;
        this.deferrals = deferrals;
        this.ledger = ledger;
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
        ReadyJob known = job;
        Future<Void> ready = ledger == null ? Future.succeededFuture() : ledger.ready(record.partition());
        if (rules != null) {
            ready = ready.compose(v -> Future.fromCompletionStage(rules.ready(known.channel()),
                    vertx.getOrCreateContext()));
        }
        return ready.compose(v -> start(record, known));
    }

    /** The job's first step: unless the ledger knows it was sent, wait until due and send. */
    private Future<List<ProducerRecord<byte[], byte[]>>> start(ConsumerRecord<byte[], byte[]> record, ReadyJob job) {
        LedgerEntry.State seen = ledger == null ? null : ledger.state(job);
        if (seen != null && seen.done()) {
            LOG.info("job {} (generation {}) to {}: {} before, not sent again", job.jobId(), job.generation(),
                    PhoneNumbers.mask(job.to()), seen.wireName());
            metrics.outcome(job.channel(), type(job), Outcome.DUPLICATE_SUPPRESSED.wireName());
            return Future.succeededFuture(List.of(outputs.result(result(job, Outcome.DUPLICATE_SUPPRESSED, null, 0,
                    null))));
        }
        if (seen == LedgerEntry.State.ATTEMPT) {
            if (policy.inDoubt(job) == InDoubtPolicy.PARK) {
                LOG.warn("job {} to {}: a call for it was in flight when its previous owner stopped; parked as in "
                        + "doubt ({})", job.jobId(), PhoneNumbers.mask(job.to()), policy.inDoubtSource(job));
                metrics.outcome(job.channel(), type(job), Outcome.PARKED.wireName());
                return Future.succeededFuture(park(record, job, 0, "a call for it was in flight when the sender that "
                        + "owned its channel stopped (crash or rebalance), and no answer was recorded", null));
            }
            LOG.warn("job {} to {}: a call for it was in flight when its previous owner stopped; resending as "
                    + "configured ({})", job.jobId(), PhoneNumbers.mask(job.to()), policy.inDoubtSource(job));
        }
        Deferrals.Carried carried = Deferrals.carried(record.headers());
        Attempt first = new Attempt(carried.attempts() + 1, carried.pairHits(), carried.throttled(), epoch(record.partition()));
        List<ProducerRecord<byte[], byte[]>> held = campaignHold(record, job, first);
        if (held != null) {
            return Future.succeededFuture(held);
        }
        Wait wait = carried.due() == null || "campaign_paused".equals(carried.reason()) ? Wait.NONE
                : new Wait(carried.due(), carried.reason());
        if (job.notBefore() != null && (wait.due() == null || job.notBefore().isAfter(wait.due()))) {
            wait = new Wait(job.notBefore(), "not_before");
        }
        Instant now = clock.instant();
        if (rules != null && wait.due() != null && wait.due().isAfter(now)) {
            // Not due yet: the rules are applied when it is, so a tier place is not taken early.
            if (!deferrals.defers(now, wait.due()) && (job.notAfter() == null || !wait.due().isAfter(job.notAfter()))) {
                return delay(java.time.Duration.between(now, wait.due()).toMillis()).compose(v -> start(record, job));
            }
            return attempt(record, job, first, wait);
        }
        if (rules != null) {
            MessagingPolicy.Decision decision = rules.check(job, campaigns.current(job.campaignId()).effectivePolicy());
            if (decision instanceof MessagingPolicy.Decision.Refuse refuse) {
                LOG.info("job {} to {} refused before sending: {}", job.jobId(), PhoneNumbers.mask(job.to()),
                        refuse.code());
                metrics.outcome(job.channel(), type(job), Outcome.FAILED.wireName());
                return Future.succeededFuture(fail(record, job, carried.attempts(), refuse.code(), refuse.title(),
                        refuse.details(), null));
            }
            if (decision instanceof MessagingPolicy.Decision.Defer defer
                    && (wait.due() == null || defer.due().isAfter(wait.due()))) {
                if (!deferrals.defers(now, defer.due())
                        && (job.notAfter() == null || !defer.due().isAfter(job.notAfter()))) {
                    // A short wait stays in memory, and the rules are checked again after it.
                    return delay(java.time.Duration.between(now, defer.due()).toMillis()).compose(v -> start(record, job));
                }
                wait = new Wait(defer.due(), defer.reason());
            }
        }
        return attempt(record, job, first, wait);
    }

    /**
     * What a paused or cancelled campaign's job becomes instead of a call: a paused job goes to the
     * shortest defer tier and comes back to check again (nothing is lost, the window stays free), a
     * cancelled one ends with a {@code cancelled} result. Null when its campaign runs.
     */
    private List<ProducerRecord<byte[], byte[]>> campaignHold(ConsumerRecord<byte[], byte[]> record, ReadyJob job,
                                                              Attempt attempt) {
        CampaignCommand campaign = campaigns.current(job.campaignId());
        int made = attempt.number() - 1;
        if (campaign.cancelled()) {
            metrics.outcome(job.channel(), type(job), Outcome.CANCELLED.wireName());
            return withLedger(job, LedgerEntry.State.FINAL, made, null, outputs.result(result(job, Outcome.CANCELLED,
                    null, made, new ResultError("cancelled", "Campaign cancelled", "campaign " + job.campaignId()
                            + " was cancelled by " + campaign.by() + (campaign.reason() == null ? ""
                            : " (" + campaign.reason() + ")") + " before this message was sent", null))));
        }
        if (campaign.paused()) {
            Instant now = clock.instant();
            metrics.deferred(job.channel(), "campaign_paused");
            return withLedger(job, LedgerEntry.State.DEFERRED, made, null, deferrals.defer(record, now,
                    now.plus(deferrals.threshold()), "campaign_paused", made, attempt.pairHits(), attempt.throttled()));
        }
        return null;
    }

    /**
     * The attempt number, how many 131056 answers this message has had, and the ownership epoch of
     * its partition when it started (a revocation since means another sender owns the job now).
     */
    /**
     * The job's next API call: {@code number} counts every call, {@code throttled} those answered with a
     * rate limit, which do not count against {@code send.max.attempts}.
     */
    private record Attempt(int number, int pairHits, int throttled, int epoch) {
        Attempt next(boolean pairHit, boolean throttledHit) {
            return new Attempt(number + 1, pairHit ? pairHits + 1 : pairHits, throttledHit ? throttled + 1 : throttled,
                    epoch);
        }

        /** Calls that count against the limit. */
        int counted() {
            return number - throttled;
        }
    }

    /** Not before {@code due} (null: now), and why. */
    private record Wait(Instant due, String reason) {
        static final Wait NONE = new Wait(null, null);
    }

    private Future<List<ProducerRecord<byte[], byte[]>>> attempt(ConsumerRecord<byte[], byte[]> record, ReadyJob job,
                                                                 Attempt attempt, Wait wait) {
        Instant now = clock.instant();
        if (job.notAfter() != null && (now.isAfter(job.notAfter())
                || (wait.due() != null && wait.due().isAfter(job.notAfter())))) {
            String details = now.isAfter(job.notAfter()) ? "not_after " + job.notAfter() + " passed"
                    : "it could not be sent before " + wait.due() + " (" + wait.reason() + "), after its not_after "
                    + job.notAfter();
            metrics.outcome(job.channel(), type(job), Outcome.EXPIRED.wireName());
            return Future.succeededFuture(withLedger(job, LedgerEntry.State.FINAL, attempt.number() - 1, null,
                    outputs.result(result(job, Outcome.EXPIRED, null, attempt.number() - 1,
                            new ResultError("expired", "Expired before sending", details, null)))));
        }
        if (wait.due() != null && wait.due().isAfter(now)) {
            if (deferrals.defers(now, wait.due())) {
                metrics.deferred(job.channel(), wait.reason());
                return Future.succeededFuture(withLedger(job, LedgerEntry.State.DEFERRED, attempt.number() - 1, null,
                        deferrals.defer(record, now, wait.due(), wait.reason(), attempt.number() - 1, attempt.pairHits(),
                                attempt.throttled())));
            }
            return delay(java.time.Duration.between(now, wait.due()).toMillis())
                    .compose(v -> attempt(record, job, attempt, Wait.NONE));
        }
        return channels.await(job.channel())
                .compose(v -> {
                    Future<Void> pair = pairs.acquire(job.key());
                    if (!pair.isComplete()) {
                        metrics.pairWait(job.channel());
                    }
                    return pair;
                })
                .compose(v -> clearToSend(job.channel()))
                .compose(v -> call(record, job, attempt));
    }

    /** The API call, unless the job expired or its partition went to another sender while it waited. */
    private Future<List<ProducerRecord<byte[], byte[]>>> call(ConsumerRecord<byte[], byte[]> record, ReadyJob job,
                                                              Attempt attempt) {
        if (epoch(record.partition()) != attempt.epoch()) {
            // Revoked after the drain timeout: its offset was not committed, so the new owner sends it.
            LOG.debug("job {}: its partition was revoked while it waited; left to the new owner", job.jobId());
            return Future.succeededFuture(List.of());
        }
        if (job.notAfter() != null && clock.instant().isAfter(job.notAfter())) {
            return attempt(record, job, attempt, Wait.NONE);
        }
        // Paused or cancelled while it waited for its turn: no call starts after the pause is read.
        List<ProducerRecord<byte[], byte[]>> held = campaignHold(record, job, attempt);
        if (held != null) {
            pace.giveBack(job.channel()); // its token goes to the next message, of a campaign that runs
            return Future.succeededFuture(held);
        }
        return (ledger == null ? Future.<Void>succeededFuture() : ledger.attempt(job, attempt.number()))
                .compose(v -> pace.sendSlot(job.channel()))
                .compose(v -> {
                    long started = System.nanoTime();
                    return clients.apply(job.channel()).send(body(job))
                            .onComplete(ar -> {
                                // A message the API took counts from its answer; a rejection that proves it was not
                                // processed (a rule, a rate limit) takes no pair slot, so a resend need not wait.
                                if (ar.failed() || ar.result().isOk()
                                        || ErrorClassifier.classify(ar.result().error()).mayHaveBeenSent()) {
                                    pairs.sent(job.key());
                                }
                                metrics.apiCall(job.channel(), System.nanoTime() - started);
                            });
                })
                .compose(answer -> answered(record, job, attempt, answer));
    }

    /**
     * Completes when the channel is running and has a token for the next message. A channel paused
     * while the message waited for its token holds it at the gate again, and after the resume it
     * takes a new token: the messages that queued up during the pause go out at the pace, not at once.
     */
    private Future<Void> clearToSend(String channel) {
        return channels.await(channel).compose(v -> {
            long waiting = System.nanoTime();
            return pace.acquire(channel).onSuccess(t -> metrics.tokenWait(channel, System.nanoTime() - waiting));
        }).compose(v -> channels.paused(channel) ? clearToSend(channel) : Future.succeededFuture());
    }

    private Future<List<ProducerRecord<byte[], byte[]>>> answered(ConsumerRecord<byte[], byte[]> record, ReadyJob job,
                                                                  Attempt attempt, ApiResult<MessageAccepted> answer) {
        if (answer.isOk()) {
            if (rules != null) {
                rules.accepted(job);
            }
            metrics.outcome(job.channel(), type(job), Outcome.ACCEPTED.wireName());
            return Future.succeededFuture(withLedger(job, LedgerEntry.State.ACCEPTED, attempt.number(),
                    answer.value().wamid(), outputs.result(result(job, Outcome.ACCEPTED, answer.value().wamid(),
                            attempt.number(), null))));
        }
        ApiError error = answer.error();
        ErrorAction action = ErrorClassifier.classify(error);
        metrics.error(job.channel(), code(error));
        boolean resend = policy.inDoubt(job) == InDoubtPolicy.RESEND;
        if (action.mayHaveBeenSent() && resend && attempt.counted() < policy.maxAttempts()) {
            LOG.warn("job {} to {}: answer lost ({}); resending as configured ({})", job.jobId(),
                    PhoneNumbers.mask(job.to()), error.describe(), policy.inDoubtSource(job));
            return retry(record, job, attempt, action);
        }
        if (action.mayHaveBeenSent()) {
            LOG.warn("job {} to {}: answer lost ({}); parked as in doubt, not resent ({})", job.jobId(),
                    PhoneNumbers.mask(job.to()), error.describe(),
                    resend ? "attempts exhausted" : policy.inDoubtSource(job));
            metrics.outcome(job.channel(), type(job), Outcome.PARKED.wireName());
            return Future.succeededFuture(park(record, job, attempt.number(), "the call's answer was lost ("
                    + error.describe() + ")", error.httpStatus() == 0 ? null : error.httpStatus()));
        }
        if (action.kind() == ErrorAction.Kind.PAUSE_CHANNEL) {
            // Nothing was sent and nothing is failed: the message waits for the channel to resume.
            note(job, attempt);
            channels.pauseChannel(job.channel(), error.describe());
            metrics.retry(job.channel(), "channel_paused");
            return channels.await(job.channel()).compose(v -> attempt(record, job, attempt, Wait.NONE));
        }
        if (action.kind() == ErrorAction.Kind.PAUSE_WABA) {
            note(job, attempt);
            channels.pauseWaba(job.channel(), error.describe());
            metrics.retry(job.channel(), "waba_paused");
            return channels.await(job.channel()).compose(v -> attempt(record, job, attempt, Wait.NONE));
        }
        if (action.kind() == ErrorAction.Kind.REUPLOAD_MEDIA && job.generation() == 1 && !job.media().isEmpty()) {
            LOG.info("job {}: media id unknown or expired ({}); sent back for re-upload", job.jobId(), error.describe());
            metrics.retry(job.channel(), "reupload");
            return Future.succeededFuture(withLedger(job, LedgerEntry.State.REUPLOADED, attempt.number(), null,
                    outputs.reuploadRequest(job.key(), record.value())));
        }
        if (THROTTLED.contains(action.kind())
                || (RETRYABLE.contains(action.kind()) && attempt.counted() < policy.maxAttempts())) {
            return retry(record, job, attempt, action);
        }
        LOG.warn("job {} to {} failed after {} attempt(s): {}", job.jobId(), PhoneNumbers.mask(job.to()),
                attempt.number(), error.describe());
        metrics.outcome(job.channel(), type(job), Outcome.FAILED.wireName());
        return Future.succeededFuture(fail(record, job, attempt.number(), code(error), error.title(),
                action.kind() + ": " + error.describe(), error.httpStatus() == 0 ? null : error.httpStatus()));
    }

    /** Waits out the backoff on a timer, or in the deferred topics when it is longer than memory should hold. */
    private Future<List<ProducerRecord<byte[], byte[]>>> retry(ConsumerRecord<byte[], byte[]> record, ReadyJob job,
                                                               Attempt attempt, ErrorAction action) {
        boolean pairHit = action.kind() == ErrorAction.Kind.RECIPIENT_BACKOFF;
        if (action.kind() == ErrorAction.Kind.LOWER_PACE) {
            pace.throughputLimitHit(job.channel());
        }
        Attempt next = attempt.next(pairHit, THROTTLED.contains(action.kind()));
        long delay = pairHit
                ? Math.min(MAX_PAIR_BACKOFF_MS, policy.pairBackoff().toMillis() << (2 * Math.min(attempt.pairHits(), 10)))
                : policy.backoff().delay(action.kind() == ErrorAction.Kind.LOWER_PACE ? next.throttled()
                        : attempt.counted()).toMillis();
        if (action.kind() == ErrorAction.Kind.LOWER_PACE && next.throttled() > 2 * policy.maxAttempts()) {
            // A storm that outlasts the in-memory retries (minutes at the default backoff): wait in the
            // first deferred tier, so the job does not hold a window slot and its partition's commit.
            delay = Math.max(delay, deferrals.threshold().toMillis() + 1);
        }
        String reason = pairHit ? "pair_limit" : "retry";
        metrics.retry(job.channel(), action.kind().name().toLowerCase(java.util.Locale.ROOT));
        if (!action.mayHaveBeenSent()) {
            note(job, attempt);
        }
        Instant now = clock.instant();
        Instant due = now.plusMillis(delay);
        if (job.notAfter() != null && due.isAfter(job.notAfter())) {
            return attempt(record, job, next, new Wait(due, reason));
        }
        if (deferrals.defers(now, due)) {
            LOG.debug("job {}: attempt {} failed ({}), deferred for {} ms", job.jobId(), attempt.number(),
                    action.reason(), delay);
            metrics.deferred(job.channel(), reason);
            return Future.succeededFuture(withLedger(job, LedgerEntry.State.DEFERRED, attempt.number(), null,
                    deferrals.defer(record, now, due, reason, attempt.number(), next.pairHits(), next.throttled())));
        }
        LOG.debug("job {}: attempt {} failed ({}), retrying in {} ms", job.jobId(), attempt.number(), action.reason(),
                delay);
        return delay(delay).compose(v -> attempt(record, job, next, Wait.NONE));
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
                                                      String why, Integer httpStatus) {
        String details = why + "; it may have been sent, so it is parked instead of resent. Re-drive it only "
                + "after checking its status.";
        ResultError resultError = new ResultError("in_doubt", "Answer lost", details, httpStatus);
        return withLedger(job, LedgerEntry.State.FINAL, attempt, null,
                outputs.deadLetter(record, record.value(), job.jobId(), "in_doubt", details),
                outputs.result(result(job, Outcome.PARKED, null, attempt, resultError)));
    }

    private List<ProducerRecord<byte[], byte[]>> fail(ConsumerRecord<byte[], byte[]> record, ReadyJob job, int attempts,
                                                      String code, String title, String details, Integer httpStatus) {
        return withLedger(job, LedgerEntry.State.FINAL, attempts, null,
                outputs.deadLetter(record, record.value(), job.jobId(), code, details),
                outputs.result(result(job, Outcome.FAILED, null, attempts, new ResultError(code, title, details, httpStatus))));
    }

    private List<ProducerRecord<byte[], byte[]>> unreadable(ConsumerRecord<byte[], byte[]> record, String reason) {
        return outputs.unreadable(record, "invalid_ready_job", "Malformed ready job", reason, clock.instant());
    }

    /** The outputs plus the ledger record of the job's new state (nothing more without a ledger). */
    @SafeVarargs
    private List<ProducerRecord<byte[], byte[]>> withLedger(ReadyJob job, LedgerEntry.State state, int attempt,
                                                            String wamid, ProducerRecord<byte[], byte[]>... records) {
        List<ProducerRecord<byte[], byte[]>> all = new java.util.ArrayList<>(List.of(records));
        if (ledger != null) {
            all.add(ledger.outcome(job, state, attempt, wamid));
        }
        return all;
    }

    /** The answer proved the call was not processed. */
    private void note(ReadyJob job, Attempt attempt) {
        if (ledger != null) {
            ledger.note(job, LedgerEntry.State.NOT_SENT, attempt.number());
        }
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

    private int epoch(int partition) {
        return epochs.getOrDefault(partition, 0);
    }

    /** A partition of the ready topic is this sender's now: rebuild its ledger before its jobs go. */
    @Override
    public void onAssigned(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
        if (ledger != null) {
            partitions.forEach(p -> ledger.assigned(p.partition()));
        }
        if (rules != null) {
            partitions.forEach(p -> rules.assigned(p.partition()));
        }
    }

    @Override
    public void onRevoked(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
        // Called after the drain and the commit: jobs of these partitions still waiting must not be sent here.
        partitions.forEach(p -> epochs.merge(p.partition(), 1, Integer::sum));
        if (ledger != null) {
            partitions.forEach(p -> ledger.revoked(p.partition()));
        }
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
            return park(record, ReadyJob.decode(record.value()), 0, "internal error in the sender worker (" + error
                    + ")", null);
        } catch (IOException | RuntimeException e) {
            return unreadable(record, "internal error in the sender worker: " + error);
        }
    }
}
