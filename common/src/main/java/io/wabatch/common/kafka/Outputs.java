package io.wabatch.common.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ResultError;
import io.wabatch.common.metrics.ErrorCodes;
import io.wabatch.common.metrics.Metric;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the records workers produce besides their main output: results and dead letters.
 * Every dead letter carries headers a person (and {@code wabatch campaign redrive}) can act on, and
 * counts in {@link Metric#DLQ_RECORDS} by stage and (bounded) error code when it is built: a
 * worker's handler returns every record it builds as its output.
 */
public final class Outputs {

    /** Header: a wabatch error code such as {@code invalid_job} or an API code such as {@code 131026}. */
    public static final String ERROR_CODE = "wabatch.error.code";
    /** Header: the reason in words. */
    public static final String ERROR_REASON = "wabatch.error.reason";
    /** Header: the stage that gave up ({@code upload} or {@code send}). */
    public static final String ERROR_STAGE = "wabatch.error.stage";
    /** Header: the job id of the failed message, when known. */
    public static final String JOB_ID = "wabatch.job.id";
    public static final String SOURCE_TOPIC = "wabatch.source.topic";
    public static final String SOURCE_PARTITION = "wabatch.source.partition";
    public static final String SOURCE_OFFSET = "wabatch.source.offset";
    /**
     * Header: the dead letter carries no value because the record (this many bytes) was too large
     * for the dead-letter topic; read it at the source coordinates.
     */
    public static final String VALUE_OMITTED = "wabatch.value.omitted.bytes";

    /** Header naming a special record kind on the jobs topic. */
    public static final String KIND = "wabatch.kind";
    /** {@link #KIND} of a ready job sent back for re-upload because its media id expired. */
    public static final String KIND_REUPLOAD = "reupload";

    private static final int MAX_HEADER = 4_096;

    private final TopicNames topics;
    private final String stage;
    private final MeterRegistry meters;

    /**
     * @param stage  {@code upload} or {@code send}
     * @param meters where dead letters are counted
     */
    public Outputs(TopicNames topics, String stage, MeterRegistry meters) {
        if (!Metric.DLQ_RECORDS.tag("stage").orElseThrow().values().contains(stage)) {
            throw new IllegalArgumentException("unknown stage " + stage);
        }
        this.topics = topics;
        this.stage = stage;
        this.meters = meters;
    }

    /** A {@code wa.results} record, keyed {@code <channel>/<recipient>}. */
    public ProducerRecord<byte[], byte[]> result(JobResult result) {
        return new ProducerRecord<>(topics.results(), utf8(result.key()), Json.bytes(result));
    }

    /** A {@code wa.identities} record, keyed by the business-scoped user ID. */
    public ProducerRecord<byte[], byte[]> identity(io.wabatch.common.contract.Identity identity) {
        return new ProducerRecord<>(topics.identities(), utf8(identity.userId()), Json.bytes(identity));
    }

    /**
     * A {@code wa.dlq} record: {@code value} (the original record, or a re-drivable single-recipient
     * job) with the source's key and coordinates and the error in headers.
     */
    public ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> source, byte[] value,
                                                     String jobId, String code, String reason) {
        RecordHeaders headers = new RecordHeaders();
        byte[] kept = value;
        if (value != null && value.length > TopicNames.JOBS_MAX_MESSAGE_BYTES) {
            // Larger than the jobs topic takes uncompressed (a producer compressed it): the dead-letter
            // topic could refuse it and stop the worker. The original stays at the source coordinates.
            headers.add(VALUE_OMITTED, utf8(Integer.toString(value.length)));
            kept = null;
        }
        headers.add(ERROR_CODE, utf8(code));
        headers.add(ERROR_REASON, utf8(truncate(reason)));
        headers.add(ERROR_STAGE, utf8(stage));
        if (jobId != null) {
            headers.add(JOB_ID, utf8(jobId));
        }
        headers.add(SOURCE_TOPIC, utf8(source.topic()));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        Metric.DLQ_RECORDS.counter(meters, "stage", stage, "code", ErrorCodes.bounded(code)).increment();
        return new ProducerRecord<>(topics.dlq(), null, source.key(), kept, headers);
    }

    /**
     * The dead letter and the {@code failed} result of a record too broken to name its job: both
     * carry the job id {@link #unreadableJobId}, so the result points at the dead letter.
     *
     * @param code   e.g. {@code invalid_ready_job}
     * @param title  the error in a few words
     * @param reason what is wrong with the record, in words
     */
    public List<ProducerRecord<byte[], byte[]>> unreadable(ConsumerRecord<byte[], byte[]> source, String code,
                                                           String title, String reason, Instant at) {
        String jobId = unreadableJobId(source);
        return List.of(deadLetter(source, source.value(), jobId, code, reason),
                result(new JobResult(jobId, null, null, null, Outcome.FAILED, null,
                        new ResultError(code, title, reason, null), 0, null, 1, null, null, null, at)));
    }

    /**
     * A re-upload request: the ready job sent back to the jobs topic, so the upload worker uploads
     * its media again and returns it with the next generation.
     */
    public ProducerRecord<byte[], byte[]> reuploadRequest(String key, byte[] readyJob) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KIND, utf8(KIND_REUPLOAD));
        return new ProducerRecord<>(topics.jobs(), null, utf8(key), readyJob, headers);
    }

    /** A job id for a record so broken that it names none: its coordinates. */
    public static String unreadableJobId(ConsumerRecord<?, ?> record) {
        return "unreadable:" + record.topic() + "/" + record.partition() + "/" + record.offset();
    }

    private static String truncate(String reason) {
        return reason.length() <= MAX_HEADER ? reason : reason.substring(0, MAX_HEADER - 3) + "...";
    }

    private static byte[] utf8(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }
}
