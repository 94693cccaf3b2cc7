package io.wabatch.ops.campaign;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.kafka.TopicNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Which jobs of a campaign {@code wabatch campaign redrive} sends again, and how: the jobs whose
 * latest generation ended {@code failed} or {@code parked} (optionally only with one error code, or
 * since an instant), that no generation ever had accepted and no status webhook shows the API took.
 * Their ready jobs, as the sender dead-lettered them, go back through the upload worker's re-upload
 * path ({@code wa.jobs}, {@code wabatch.kind: reupload}): media ids are checked, and each comes back
 * with the next generation, so a resend is told apart from a duplicate and the ledger lets it go.
 * Jobs that failed before reaching the sender (bad input, dead links) have no ready job: they are
 * counted, to be fixed at the source and published again.
 */
public final class Redrive {

    private static final Set<Outcome> REDRIVABLE = EnumSet.of(Outcome.FAILED, Outcome.PARKED, Outcome.IN_DOUBT);

    /** The plan: the records to publish and what was left out, with counts for the operator. */
    public record Plan(List<ProducerRecord<byte[], byte[]>> records, int candidates, int withoutReadyJob,
                       int acceptedSkipped) {
    }

    /** The latest generation's outcome of one job, and whether any generation was accepted. */
    private static final class JobHistory {
        int generation;
        JobResult latest;
        boolean accepted;
    }

    private Redrive() {
    }

    /**
     * @param errorCode only jobs whose latest result has this error code, or null
     * @param since     only jobs whose latest result was produced at or after this, or null
     */
    public static Plan plan(String bootstrap, TopicNames topics, String campaign, String errorCode, Instant since) {
        Map<String, JobHistory> jobs = histories(bootstrap, topics, campaign);
        Set<String> seenByApi = seenByApi(bootstrap, topics, campaign);
        Set<String> candidates = new HashSet<>();
        int acceptedSkipped = 0;
        for (Map.Entry<String, JobHistory> entry : jobs.entrySet()) {
            JobResult latest = entry.getValue().latest;
            if (latest == null || !REDRIVABLE.contains(latest.outcome())
                    || errorCode != null && (latest.error() == null || !errorCode.equals(latest.error().code()))
                    || since != null && (latest.producedAt() == null || latest.producedAt().isBefore(since))) {
                continue;
            }
            if (entry.getValue().accepted || seenByApi.contains(entry.getKey())) {
                acceptedSkipped++;
                continue;
            }
            candidates.add(entry.getKey());
        }
        Map<String, byte[]> readyJobs = parkedReadyJobs(bootstrap, topics, candidates, jobs);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        readyJobs.forEach((jobId, value) -> {
            ReadyJob job = read(value, ReadyJob.class);
            org.apache.kafka.common.header.internals.RecordHeaders headers =
                    new org.apache.kafka.common.header.internals.RecordHeaders();
            headers.add(Outputs.KIND, Outputs.KIND_REUPLOAD.getBytes(StandardCharsets.UTF_8));
            records.add(new ProducerRecord<>(topics.jobs(), null, job.key().getBytes(StandardCharsets.UTF_8), value,
                    headers));
        });
        return new Plan(records, candidates.size(), candidates.size() - readyJobs.size(), acceptedSkipped);
    }

    /** Each job of the campaign: whether it was ever accepted, and its latest result of the latest generation. */
    private static Map<String, JobHistory> histories(String bootstrap, TopicNames topics, String campaign) {
        Map<String, JobHistory> jobs = new HashMap<>();
        TopicScan.read(bootstrap, topics.results(), record -> {
            JobResult result = read(record.value(), JobResult.class);
            if (result == null || !campaign.equals(result.campaignId()) || result.jobId() == null) {
                return;
            }
            JobHistory history = jobs.computeIfAbsent(result.jobId(), j -> new JobHistory());
            history.accepted |= result.outcome() == Outcome.ACCEPTED;
            if (result.generation() >= history.generation
                    && result.outcome() != Outcome.DUPLICATE_SUPPRESSED) {
                history.generation = result.generation();
                history.latest = result;
            }
        });
        return jobs;
    }

    /** The campaign's jobs a status webhook speaks of: the API took them, whatever their result says. */
    private static Set<String> seenByApi(String bootstrap, TopicNames topics, String campaign) {
        Set<String> seen = new HashSet<>();
        TopicScan.read(bootstrap, topics.status(), record -> {
            StatusEvent status = read(record.value(), StatusEvent.class);
            if (status != null && campaign.equals(status.campaignId())) {
                seen.add(status.jobId());
            }
        });
        return seen;
    }

    /** The ready jobs the sender dead-lettered for the candidates, of their latest generation, by job. */
    private static Map<String, byte[]> parkedReadyJobs(String bootstrap, TopicNames topics, Set<String> candidates,
                                                       Map<String, JobHistory> jobs) {
        Map<String, byte[]> readyJobs = new HashMap<>();
        TopicScan.read(bootstrap, topics.dlq(), record -> {
            String jobId = header(record, Outputs.JOB_ID);
            if (jobId == null || !candidates.contains(jobId) || !"send".equals(header(record, Outputs.ERROR_STAGE))
                    || record.value() == null) {
                return;
            }
            ReadyJob job = read(record.value(), ReadyJob.class);
            if (job != null && job.generation() == jobs.get(jobId).generation) {
                readyJobs.put(jobId, record.value());
            }
        });
        return readyJobs;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static <T> T read(byte[] value, Class<T> type) {
        try {
            return value == null ? null : Json.read(value, type);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
