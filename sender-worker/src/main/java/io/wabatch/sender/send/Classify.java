package io.wabatch.sender.send;

import io.vertx.core.Future;
import io.wabatch.common.api.ApiError;
import io.wabatch.common.api.ApiResult;
import io.wabatch.common.api.ErrorAction;
import io.wabatch.common.api.ErrorClassifier;
import io.wabatch.common.api.MessageAccepted;
import io.wabatch.common.contract.InDoubtPolicy;
import io.wabatch.common.contract.PhoneNumbers;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sender.control.ChannelControl;
import io.wabatch.sender.policy.MessagingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Step#CLASSIFY}: the answer of a call becomes the job's next step. Accepted → result; an
 * error is classified ({@link ErrorClassifier}) and judged ({@link Verdict}): a lost answer is in
 * doubt (parked, or resent when the job's {@code in_doubt}, else the worker's, says so), a refused
 * channel or WABA pauses and the job waits for it ({@link Step#AWAIT_RESUME}), an expired media id
 * goes back for re-upload, rate limits and transient errors are retried ({@link Step#RETRY}), the
 * rest fails. A 131049 to a US number while the channel's US marketing pause rule is on fails with the
 * rule's code ({@code us_marketing_pause}), not 131049's.
 *
 * <p>Threading: runs on the sender's event loop, never blocks. Errors: none expected.
 */
final class Classify {

    /** The send stage logs under one name, as before it was split into steps. */
    private static final Logger LOG = LoggerFactory.getLogger(SendHandler.class);

    private final MessagingPolicy rules;
    private final ChannelControl channels;
    private final SendHandler.Policy policy;
    private final Outcomes outcomes;
    private final SenderMetrics metrics;

    /** @param rules the messaging policy, or null to send without it */
    Classify(MessagingPolicy rules, ChannelControl channels, SendHandler.Policy policy, Outcomes outcomes,
             SenderMetrics metrics) {
        this.rules = rules;
        this.channels = channels;
        this.policy = policy;
        this.outcomes = outcomes;
        this.metrics = metrics;
    }

    Future<Step> classify(Flight f) {
        ApiResult<MessageAccepted> answer = f.answer;
        ReadyJob job = f.job;
        if (answer.isOk()) {
            if (rules != null) {
                rules.accepted(job);
            }
            return f.finish(outcomes.accepted(f, answer.value()));
        }
        ApiError error = answer.error();
        f.action = ErrorClassifier.classify(error);
        metrics.error(job.channel(), Outcomes.code(error));
        MessagingPolicy.Decision.Refuse paused = f.action.kind() == ErrorAction.Kind.RETRY_AFTER_24H && rules != null
                ? rules.heldBack(job) : null;
        if (paused != null) {
            LOG.info("job {} to {}: 131049 under the US marketing pause; not resent", job.jobId(),
                    PhoneNumbers.mask(job.to()));
            return f.finish(outcomes.failed(f, f.number, paused.code(), paused.title(), paused.details(),
                    status(error)));
        }
        return switch (Verdict.of(f.action, job, f.counted(), policy)) {
            case RESEND_IN_DOUBT -> {
                LOG.warn("job {} to {}: answer lost ({}); resending as configured ({})", job.jobId(),
                        PhoneNumbers.mask(job.to()), error.describe(), policy.inDoubtSource(job));
                yield Step.RETRY.now;
            }
            case PARK_IN_DOUBT -> park(f, error);
            case PAUSE_CHANNEL, PAUSE_WABA -> pause(f, error);
            case REUPLOAD -> {
                LOG.info("job {}: media id unknown or expired ({}); sent back for re-upload", job.jobId(),
                        error.describe());
                yield f.finish(outcomes.reupload(f));
            }
            case RETRY -> Step.RETRY.now;
            case FAIL -> {
                LOG.warn("job {} to {} failed after {} attempt(s): {}", job.jobId(), PhoneNumbers.mask(job.to()),
                        f.number, error.describe());
                yield f.finish(outcomes.failed(f, f.number, Outcomes.code(error), error.title(),
                        f.action.kind() + ": " + error.describe(), status(error)));
            }
        };
    }

    /** The answer was lost and it is not resent: parked as in doubt. */
    private Future<Step> park(Flight f, ApiError error) {
        ReadyJob job = f.job;
        LOG.warn("job {} to {}: answer lost ({}); parked as in doubt, not resent ({})", job.jobId(),
                PhoneNumbers.mask(job.to()), error.describe(), policy.inDoubt(job) == InDoubtPolicy.RESEND
                        ? "attempts exhausted" : policy.inDoubtSource(job));
        return f.finish(outcomes.parked(f, f.number, "the call's answer was lost (" + error.describe() + ")",
                status(error)));
    }

    /** Nothing was sent and nothing is failed: the channel (or its WABA) pauses, and the job waits for it. */
    private Future<Step> pause(Flight f, ApiError error) {
        String channel = f.job.channel();
        outcomes.notSent(f);
        if (f.action.kind() == ErrorAction.Kind.PAUSE_WABA) {
            channels.pauseWaba(channel, error.describe());
            metrics.retry(channel, "waba_paused");
        } else {
            channels.pauseChannel(channel, error.describe());
            metrics.retry(channel, "channel_paused");
        }
        return Step.AWAIT_RESUME.now;
    }

    private static Integer status(ApiError error) {
        return error.httpStatus() == 0 ? null : error.httpStatus();
    }
}
