package io.wabatch.funnel;

import static io.wabatch.funnel.FunnelSerdes.read;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.common.kafka.TopicNames;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * The funnel's inputs as one stream of {@link JobEvent}s keyed {@code <campaign>|<job>}: ready jobs
 * ({@code wa.jobs.ready}), results ({@code wa.results}) and the statuses ({@code wa.status}) whose
 * callback token names their job. Records without a campaign and job are dropped.
 */
final class JobEvents {

    /** One input event of a job: its ready job, a result or a status. */
    record JobEvent(JobResult result, StatusEvent status, ReadyJob ready) {
    }

    private JobEvents() {
    }

    /** Results, correlated statuses and ready jobs of {@code topics}, merged and keyed by job. */
    static KStream<String, JobEvent> stream(StreamsBuilder builder, TopicNames topics, KStream<byte[], byte[]> statuses) {
        Consumed<byte[], byte[]> raw = Consumed.with(Serdes.ByteArray(), Serdes.ByteArray());
        KStream<String, JobEvent> results = builder.stream(topics.results(), raw.withName("results"))
                .flatMap((key, value) -> {
                    JobResult result = read(value, JobResult.class);
                    return result == null || result.campaignId() == null || result.jobId() == null ? List.of()
                            : List.of(KeyValue.pair(key(result.campaignId(), result.jobId()),
                                    new JobEvent(result, null, null)));
                }, Named.as("results-by-job"));
        KStream<String, JobEvent> correlated = statuses
                .flatMap((key, value) -> {
                    StatusEvent status = read(value, StatusEvent.class);
                    return status == null || !status.correlated() ? List.of()
                            : List.of(KeyValue.pair(key(status.campaignId(), status.jobId()),
                                    new JobEvent(null, status, null)));
                }, Named.as("statuses-by-job"));
        KStream<String, JobEvent> readies = builder.stream(topics.ready(), raw.withName("ready-jobs"))
                .flatMap((key, value) -> {
                    ReadyJob job = read(value, ReadyJob.class);
                    return job == null || job.campaignId() == null ? List.of()
                            : List.of(KeyValue.pair(key(job.campaignId(), job.jobId()), new JobEvent(null, null, job)));
                }, Named.as("ready-jobs-by-job"));
        return results.merge(correlated, Named.as("results-and-statuses")).merge(readies, Named.as("job-events"));
    }

    /** A job's key in the funnel's state. */
    static String key(String campaign, String job) {
        return campaign + "|" + job;
    }
}
