package io.wabatch.sender.send;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wabatch.common.api.WhatsAppClient;
import io.wabatch.common.contract.InDoubtPolicy;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.kafka.RecordHandler;
import io.wabatch.sender.control.CampaignControl;
import io.wabatch.sender.control.ChannelControl;
import io.wabatch.sender.defer.Deferrals;
import io.wabatch.sender.ledger.SendLedger;
import io.wabatch.sender.pace.AdaptivePace;
import io.wabatch.sender.pace.PairPacer;
import io.wabatch.sender.policy.MessagingPolicy;
import io.wabatch.sender.retry.Backoff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send stage for one {@code wa.jobs.ready} record: wait until it is due (long waits leave for
 * the deferred topics), until its channel may send, for its recipient's pair window and the
 * channel's pace; call {@code /messages} with the correlation token; turn the answer into the
 * right action and a result. A call whose answer was lost (timeout, reset, 5xx) may already have
 * been sent: it is in doubt, and parked (DESIGN §4.8) unless its campaign job's {@code in_doubt},
 * or without one the worker's {@code send.in.doubt}, says resend.
 *
 * <p>The steps are {@link Step}s, run by a {@link SendMachine} for each job; this class decodes the
 * record, waits for its partition's ledger and policy state, and follows the partitions' ownership.
 *
 * <p>Threading: every method is called on the loop's Vert.x context (the rebalance callbacks on the
 * poll thread) and none blocks. Errors: expected failures (bad input, API errors) are records; the
 * future fails only for bugs or an unwritable ledger, and {@link #onUnexpectedFailure} parks the job.
 */
public final class SendHandler implements RecordHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SendHandler.class);

    private final Function<String, WhatsAppClient> clients;
    private final MessagingPolicy rules;
    private final SendLedger ledger;
    private final SenderMetrics metrics;
    private final Epochs epochs = new Epochs();
    private final Outcomes outcomes;
    private final SendMachine machine;

    /**
     * How hard to try.
     *
     * @param backoff      backoff between retries of transient errors
     * @param maxAttempts  API calls per message before a retryable error is final
     * @param pairBackoff  base of the 4^n backoff after 131056
     * @param inDoubtDefault what happens to in-doubt jobs that carry no {@code in_doubt} of their own
     */
    public record Policy(Backoff backoff, int maxAttempts, Duration pairBackoff, InDoubtPolicy inDoubtDefault) {

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
     * @param rules     opt-outs, the 24-hour window, quiet hours, the portfolio's tier and marketing cap; null to send without them
     * @param deferrals where waits too long for memory go
     * @param ledger    the send ledger, or null to send without one (duplicates after a crash possible)
     * @param route     which messages go by the Marketing Messages API; null: all by {@code /messages}
     */
    public SendHandler(Vertx vertx, AdaptivePace pace, PairPacer pairs, ChannelControl channels,
                       CampaignControl campaigns, MessagingPolicy rules, Function<String, WhatsAppClient> clients,
                       Outputs outputs, Deferrals deferrals, SendLedger ledger, Policy policy, SenderMetrics metrics,
                       MarketingRoute route, Clock clock) {
        this.clients = clients;
        this.rules = rules;
        this.ledger = ledger;
        this.metrics = metrics;
        this.outcomes = new Outcomes(outputs, deferrals, ledger, metrics, clock);
        Delays delays = new Delays(vertx);
        Deadlines deadlines = new Deadlines(campaigns);
        CampaignGate campaignGate = new CampaignGate(campaigns, deferrals, deadlines, outcomes, clock);
        this.machine = new SendMachine(
                new LedgerClaim(ledger, policy, epochs, campaignGate, outcomes),
                new Schedule(vertx, rules, campaigns, deferrals, deadlines, outcomes, delays, clock),
                new Gates(channels, pairs, pace, deferrals, deadlines, outcomes, delays, metrics, clock),
                new ApiCall(clients, ledger, pace, pairs, epochs, campaignGate, deadlines, route, metrics, clock),
                new Classify(rules, channels, policy, outcomes, metrics),
                new Retry(pace, policy, deferrals, deadlines, outcomes, delays, metrics, clock));
    }

    @Override
    public Future<List<ProducerRecord<byte[], byte[]>>> handle(ConsumerRecord<byte[], byte[]> record) {
        ReadyJob job;
        try {
            job = ReadyJob.decode(record.value());
        } catch (IOException | RuntimeException e) {
            return Future.succeededFuture(outcomes.unreadable(record, "malformed ready job: " + e.getMessage()));
        }
        if (clients.apply(job.channel()) == null) {
            return Future.succeededFuture(outcomes.fail(record, job, 0, "unknown_channel", "Unknown channel",
                    "channel '" + job.channel() + "' is not in this sender's registry", null));
        }
        Flight flight = new Flight(record, job, rules == null ? job.key() : rules.pairKey(job));
        Future<Void> ready = ledger == null ? Future.succeededFuture() : ledger.ready(record.partition());
        return ready.compose(v -> machine.run(flight));
    }

    /** A partition of the ready topic is this sender's now: rebuild its ledger before its jobs go. */
    @Override
    public void onAssigned(Collection<TopicPartition> partitions) {
        if (ledger != null) {
            partitions.forEach(p -> ledger.assigned(p.partition()));
        }
    }

    @Override
    public void onRevoked(Collection<TopicPartition> partitions) {
        // Called after the drain and the commit: jobs of these partitions still waiting must not be sent here.
        partitions.forEach(p -> epochs.revoked(p.partition()));
        if (ledger != null) {
            partitions.forEach(p -> ledger.revoked(p.partition()));
        }
    }

    /** Messages to one recipient keep their order: the key is {@code <channel>/<recipient>}. */
    @Override
    public Collection<String> orderingKeys(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? List.of() : List.of(new String(record.key(), StandardCharsets.UTF_8));
    }

    @Override
    public List<ProducerRecord<byte[], byte[]>> onUnexpectedFailure(ConsumerRecord<byte[], byte[]> record,
                                                                    Throwable error) {
        LOG.error("unexpected error sending {}/{}@{}", record.topic(), record.partition(), record.offset(), error);
        metrics.outcome("unknown", "unknown", Outcome.PARKED.wireName());
        try {
            // The call may or may not have happened: park the job rather than risk a duplicate.
            return outcomes.park(record, ReadyJob.decode(record.value()), 0, "internal error in the sender worker ("
                    + error + ")", null);
        } catch (IOException | RuntimeException e) {
            return outcomes.unreadable(record, "internal error in the sender worker: " + error);
        }
    }
}
