package io.wabatch.funnel;

import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.funnel.cost.RateCard;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds each job's events (its ready job, results, statuses) into its {@link JobState} in the
 * {@value #STORE} store and forwards the new state; when a status says the message failed in a way
 * a resend fixes, it also forwards that resend, once per job (DESIGN §3 generations):
 * <ul>
 *   <li>131053 (media could not be fetched or processed) on a message sent by media id: the ready
 *       job goes back for re-upload; it returns with fresh media ids and the next generation;</li>
 *   <li>131049 (held back for healthy ecosystem engagement): the same ready job, next generation,
 *       not before {@code engagementDelay} (24 h) later.</li>
 * </ul>
 * Resends travel as re-upload requests ({@code wa.jobs}, {@code wabatch.kind: reupload}), the path
 * the sender uses for expired media ids.
 */
final class JobStateProcessor implements Processor<String, JobEvents.JobEvent, String, JobStateProcessor.Output> {

    static final String STORE = "job-states";

    /** A job's new state, or a resend to write to {@code wa.jobs} (key: the ready job's key). */
    record Output(JobState state, String resendKey, byte[] resend) {
    }

    private final Duration engagementDelay;
    private final Clock clock;
    private final BiConsumer<String, String> stageReached;
    private final BiConsumer<String, Integer> resent;
    private final RateCard rateCard;
    private final FunnelTopology.Priced priced;
    private ProcessorContext<String, Output> context;
    private KeyValueStore<String, JobState> store;

    /** @param rateCard prices charged messages; null: none */
    JobStateProcessor(Duration engagementDelay, Clock clock, BiConsumer<String, String> stageReached,
                      BiConsumer<String, Integer> resent, RateCard rateCard, FunnelTopology.Priced priced) {
        this.engagementDelay = engagementDelay;
        this.clock = clock;
        this.stageReached = stageReached;
        this.resent = resent;
        this.rateCard = rateCard;
        this.priced = priced;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, JobEvents.JobEvent> record) {
        String key = record.key();
        JobEvents.JobEvent event = record.value();
        JobState stored = store.get(key);
        JobState before = stored != null ? stored
                : JobState.empty(key.substring(0, key.indexOf('|')), key.substring(key.indexOf('|') + 1));
        JobState after = event.ready() != null ? before.with(event.ready())
                : event.result() != null ? before.with(event.result()) : before.with(event.status(), rateCard);
        Integer action = after.actionDue();
        if (action != null) {
            ReadyJob body = after.ready();
            ReadyJob resend = action == 131049 ? delayed(body) : body;
            RecordHeaders headers = new RecordHeaders();
            headers.add(Outputs.KIND, Outputs.KIND_REUPLOAD.getBytes(StandardCharsets.UTF_8));
            context.forward(new Record<>(key, new Output(null, resend.key(), Json.bytes(resend)), now(record), headers));
            resent.accept(after.channel() == null ? "unknown" : after.channel(), action);
            after = after.acted();
        }
        FunnelTopology.reached(before, after, stageReached);
        FunnelTopology.priced(before, after, priced);
        store.put(key, after);
        context.forward(new Record<>(key, new Output(after.withoutBody(), null, null), now(record),
                new RecordHeaders()));
    }

    /**
     * The time of a job's new state: when it was computed (never earlier than its input), so a job's
     * states are in time order however its results and statuses were stamped at their sources.
     */
    private long now(Record<String, JobEvents.JobEvent> record) {
        return Math.max(record.timestamp(), clock.millis());
    }

    /** The same job, not before the engagement delay from now (unless its not_before is later). */
    private ReadyJob delayed(ReadyJob job) {
        Instant due = clock.instant().plus(engagementDelay);
        Instant notBefore = job.notBefore() != null && job.notBefore().isAfter(due) ? job.notBefore() : due;
        return new ReadyJob(job.v(), job.jobId(), job.campaignId(), job.channel(), job.to(), job.message(), job.media(),
                job.notAfter(), notBefore, job.inDoubt(), job.callbackData(), job.generation(), job.enqueuedAt(),
                job.uploadedAt());
    }
}
