package io.wabatch.upload;

import io.vertx.core.Future;
import io.wabatch.common.contract.CampaignJob;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.JobValidation;
import io.wabatch.common.contract.JobValidator;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.PhoneNumbers;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.contract.Recipient;
import io.wabatch.common.contract.RecipientRejection;
import io.wabatch.common.contract.ResultError;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.kafka.RecordHandler;
import io.wabatch.common.template.TemplateProblem;
import io.wabatch.upload.fanout.ReadyJobs;
import io.wabatch.upload.media.LinkMedia;
import io.wabatch.upload.media.MediaException;
import io.wabatch.upload.media.MediaLocator;
import io.wabatch.upload.media.MediaResolver;
import io.wabatch.upload.media.UploadMetrics;
import io.wabatch.upload.media.UploadedMedia;
import io.wabatch.upload.template.TemplateGate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload stage for one {@code wa.jobs} record: validate, check a template job against its
 * account's template catalogue, upload its link media (once per campaign and channel), fan out one
 * ready job per recipient. Invalid jobs, templates that cannot succeed, unusable media and unsendable
 * recipients become {@code wa.dlq} records plus {@code failed} results, expired jobs {@code expired}
 * results: every recipient of every record ends somewhere. A job refused for its template has none of
 * its media fetched.
 */
final class UploadJobHandler implements RecordHandler {

    private static final Logger LOG = LoggerFactory.getLogger(UploadJobHandler.class);

    private final JobValidator validator;
    private final TemplateGate templates;
    private final MediaResolver media;
    private final UploadMetrics metrics;
    private final Reuploads reuploads;
    private final Outputs outputs;
    private final String readyTopic;
    private final Clock clock;

    UploadJobHandler(JobValidator validator, TemplateGate templates, MediaResolver media, UploadMetrics metrics,
                     Outputs outputs, String readyTopic, Clock clock) {
        this.validator = validator;
        this.templates = templates;
        this.media = media;
        this.metrics = metrics;
        this.reuploads = new Reuploads(media, outputs, readyTopic, clock);
        this.outputs = outputs;
        this.readyTopic = readyTopic;
        this.clock = clock;
    }

    @Override
    public Future<List<ProducerRecord<byte[], byte[]>>> handle(ConsumerRecord<byte[], byte[]> record) {
        if (Reuploads.isRequest(record)) {
            return reuploads.handle(record);
        }
        JobValidation validation = validator.validate(record.value());
        if (validation instanceof JobValidation.Invalid invalid) {
            LOG.warn("invalid job {} at {}/{}@{}: {}", invalid.jobId(), record.topic(), record.partition(),
                    record.offset(), invalid.reason());
            return Future.succeededFuture(invalidJob(record, invalid));
        }
        CampaignJob job = ((JobValidation.Valid) validation).job();
        Instant enqueuedAt = Instant.ofEpochMilli(record.timestamp());
        if (job.expiredAt(clock.instant())) {
            return Future.succeededFuture(expired(job, enqueuedAt));
        }
        return templates.check(job).compose(problem -> problem.isPresent()
                ? Future.succeededFuture(jobFailed(record, job, problem.get().code(), problem.get().reason()))
                : uploadAll(job)
                        .map(uploaded -> fanOut(record, job, uploaded, enqueuedAt))
                        .recover(e -> e instanceof MediaException failure
                                ? Future.succeededFuture(jobFailed(record, job, failure.code(), failure.getMessage()))
                                : Future.failedFuture(e)));
    }

    private Future<Map<LinkMedia, UploadedMedia>> uploadAll(CampaignJob job) {
        List<LinkMedia> links = MediaLocator.find(job.message());
        List<Future<UploadedMedia>> uploads = new ArrayList<>();
        links.forEach(link -> uploads.add(media.resolve(job.channel(), job.campaignId(), link)));
        return Future.all(uploads).map(all -> {
            Map<LinkMedia, UploadedMedia> byLink = new LinkedHashMap<>();
            for (int i = 0; i < links.size(); i++) {
                byLink.put(links.get(i), all.resultAt(i));
            }
            return byLink;
        });
    }

    private List<ProducerRecord<byte[], byte[]>> fanOut(ConsumerRecord<byte[], byte[]> record, CampaignJob job,
                                                        Map<LinkMedia, UploadedMedia> uploaded, Instant enqueuedAt) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(job.recipients().size() + 1);
        boolean usesVars = job.recipients().stream().anyMatch(r -> !r.vars().isEmpty());
        Instant now = clock.instant();
        for (Recipient recipient : job.recipients()) {
            ReadyJobs.Built built = ReadyJobs.build(job, recipient, uploaded, usesVars, enqueuedAt, now);
            if (built.job() != null) {
                ReadyJob ready = built.job();
                out.add(new ProducerRecord<>(readyTopic, ready.key().getBytes(StandardCharsets.UTF_8), Json.bytes(ready)));
            } else {
                rejectRecipient(out, record, job, recipient.index(), recipient.address(), "invalid_recipient",
                        built.problem().toString());
            }
        }
        for (RecipientRejection rejection : job.rejected()) {
            rejectRecipient(out, record, job, rejection.index(), null, "invalid_recipient", rejection.problem().toString());
        }
        if (!job.rejected().isEmpty() || out.size() < job.recipients().size()) {
            LOG.warn("job {}: {} recipient(s) rejected, see {} for each reason", job.jobId(),
                    job.rejected().size() + (job.recipients().size() - readyCount(out)), "wa.dlq");
        }
        if (job.duplicates() > 0) {
            LOG.info("job {}: dropped {} duplicate recipients", job.jobId(), job.duplicates());
        }
        return out;
    }

    private long readyCount(List<ProducerRecord<byte[], byte[]>> out) {
        return out.stream().filter(r -> r.topic().equals(readyTopic)).count();
    }

    private void rejectRecipient(List<ProducerRecord<byte[], byte[]>> out, ConsumerRecord<byte[], byte[]> record,
                                 CampaignJob job, int index, String phone, String code, String reason) {
        String jobId = index < 0 ? job.jobId() : job.jobId() + "/" + index;
        out.add(outputs.deadLetter(record, Json.bytes(SingleRecipient.of(job, index)), jobId, code, reason));
        metrics.deadLetter(code);
        out.add(outputs.result(failed(jobId, job.campaignId(), job.channel(), phone, job.callbackData(), code, reason)));
    }

    private List<ProducerRecord<byte[], byte[]>> invalidJob(ConsumerRecord<byte[], byte[]> record,
                                                            JobValidation.Invalid invalid) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        String jobId = invalid.jobId() != null ? invalid.jobId() : Outputs.unreadableJobId(record);
        out.add(outputs.deadLetter(record, record.value(), jobId, "invalid_job", invalid.reason()));
        metrics.deadLetter("invalid_job");
        if (invalid.recipients().isEmpty()) {
            out.add(outputs.result(failed(jobId, invalid.campaignId(), invalid.channel(), null,
                    invalid.callbackData(), "invalid_job", invalid.reason())));
        }
        invalid.recipients().forEach(t -> out.add(outputs.result(failed(t.jobId(), invalid.campaignId(),
                invalid.channel(), t.phone(), invalid.callbackData(), "invalid_job", invalid.reason()))));
        return out;
    }

    /** The whole job dead-lettered for {@code code} (its media or its template), a failed result per recipient. */
    private List<ProducerRecord<byte[], byte[]>> jobFailed(ConsumerRecord<byte[], byte[]> record, CampaignJob job,
                                                           String code, String reason) {
        LOG.warn("job {}: {}", job.jobId(), reason);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        out.add(outputs.deadLetter(record, record.value(), job.jobId(), code, reason));
        metrics.deadLetter(code);
        job.recipients().forEach(r -> out.add(outputs.result(failed(r.jobId(job.jobId()), job.campaignId(),
                job.channel(), r.address(), job.callbackData(), code, reason))));
        job.rejected().forEach(r -> out.add(outputs.result(failed(r.jobId(job.jobId()), job.campaignId(),
                job.channel(), null, job.callbackData(), "invalid_recipient", r.problem().toString()))));
        return out;
    }

    private List<ProducerRecord<byte[], byte[]>> expired(CampaignJob job, Instant enqueuedAt) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        ResultError error = new ResultError("expired", "Expired before upload",
                "not_after " + job.notAfter() + " passed before the job was processed", null);
        for (Recipient r : job.recipients()) {
            out.add(outputs.result(new JobResult(r.jobId(job.jobId()), job.campaignId(), job.channel(), r.address(),
                    Outcome.EXPIRED, null, error, 0, job.callbackData(), 1, enqueuedAt, null, null, clock.instant())));
        }
        return out;
    }

    /**
     * Jobs that share a recipient keep their order: the keys are the recipients' digits (a cheap
     * normalisation; the validator's E.164 form is not needed to tell them apart).
     */
    @Override
    public java.util.Collection<String> orderingKeys(ConsumerRecord<byte[], byte[]> record) {
        return RecipientKeys.of(record.value());
    }

    @Override
    public List<ProducerRecord<byte[], byte[]>> onUnexpectedFailure(ConsumerRecord<byte[], byte[]> record,
                                                                    Throwable error) {
        LOG.error("unexpected error processing {}/{}@{}", record.topic(), record.partition(), record.offset(), error);
        String reason = "internal error in the upload worker: " + error.getClass().getSimpleName();
        if (validator.validate(record.value()) instanceof JobValidation.Valid valid) {
            CampaignJob job = valid.job();
            metrics.deadLetter("internal_error");
            List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
            out.add(outputs.deadLetter(record, record.value(), job.jobId(), "internal_error", reason));
            job.recipients().forEach(r -> out.add(outputs.result(failed(r.jobId(job.jobId()), job.campaignId(),
                    job.channel(), r.address(), job.callbackData(), "internal_error", reason))));
            return out;
        }
        String jobId = Outputs.unreadableJobId(record);
        return List.of(outputs.deadLetter(record, record.value(), jobId, "internal_error", reason),
                outputs.result(failed(jobId, null, null, null, null, "internal_error", reason)));
    }

    private JobResult failed(String jobId, String campaignId, String channel, String phone, String callbackData,
                             String code, String reason) {
        return new JobResult(jobId, campaignId, channel, phone, Outcome.FAILED, null,
                new ResultError(code, title(code), reason, null), 0, callbackData, 1, null, null, null, clock.instant());
    }

    private static String title(String code) {
        return switch (code) {
            case "invalid_job" -> "Invalid campaign job";
            case "invalid_recipient" -> "Recipient cannot be sent to";
            case MediaException.BLOCKED -> "Media link refused";
            case MediaException.UNAVAILABLE -> "Media link could not be fetched";
            case MediaException.REJECTED -> "Media not acceptable";
            case MediaException.UPLOAD_FAILED -> "Media upload failed";
            case TemplateProblem.UNKNOWN -> "Template not in the catalogue";
            case TemplateProblem.PAUSED -> "Template paused";
            case TemplateProblem.NOT_APPROVED -> "Template not approved";
            case TemplateProblem.MISMATCH -> "Job does not fit its template";
            default -> "Internal error";
        };
    }
}
