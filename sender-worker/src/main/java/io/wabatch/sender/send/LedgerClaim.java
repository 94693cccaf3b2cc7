package io.wabatch.sender.send;

import io.vertx.core.Future;
import io.wabatch.common.contract.InDoubtPolicy;
import io.wabatch.common.contract.PhoneNumbers;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sender.defer.Deferrals;
import io.wabatch.sender.ledger.LedgerEntry;
import io.wabatch.sender.ledger.SendLedger;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Step#CLAIM}, a job's first step and the one it restarts at after a short wait: unless the
 * ledger knows it was sent (suppressed) or shows its call in flight when its previous owner stopped
 * (in doubt: parked, or resent when so configured), it starts with the counts its record carries,
 * at the partition's current epoch, and its campaign must run.
 *
 * <p>Threading: runs on the sender's event loop; reads memory only, never blocks. Errors: none expected.
 */
final class LedgerClaim {

    /** The send stage logs under one name, as before it was split into steps. */
    private static final Logger LOG = LoggerFactory.getLogger(SendHandler.class);

    private final SendLedger ledger;
    private final SendHandler.Policy policy;
    private final Epochs epochs;
    private final CampaignGate campaigns;
    private final Outcomes outcomes;

    /** @param ledger the send ledger, or null to send without one */
    LedgerClaim(SendLedger ledger, SendHandler.Policy policy, Epochs epochs, CampaignGate campaigns,
                Outcomes outcomes) {
        this.ledger = ledger;
        this.policy = policy;
        this.epochs = epochs;
        this.campaigns = campaigns;
        this.outcomes = outcomes;
    }

    Future<Step> claim(Flight f) {
        ReadyJob job = f.job;
        LedgerEntry.State seen = ledger == null ? null : ledger.state(job);
        if (seen != null && seen.done()) {
            LOG.info("job {} (generation {}) to {}: {} before, not sent again", job.jobId(), job.generation(),
                    PhoneNumbers.mask(job.to()), seen.wireName());
            return f.finish(outcomes.duplicate(job));
        }
        if (seen == LedgerEntry.State.ATTEMPT) {
            if (policy.inDoubt(job) == InDoubtPolicy.PARK) {
                LOG.warn("job {} to {}: a call for it was in flight when its previous owner stopped; parked as in "
                        + "doubt ({})", job.jobId(), PhoneNumbers.mask(job.to()), policy.inDoubtSource(job));
                return f.finish(outcomes.parked(f, 0, "a call for it was in flight when the sender that owned its "
                        + "channel stopped (crash or rebalance), and no answer was recorded", null));
            }
            LOG.warn("job {} to {}: a call for it was in flight when its previous owner stopped; resending as "
                    + "configured ({})", job.jobId(), PhoneNumbers.mask(job.to()), policy.inDoubtSource(job));
        }
        f.start(Deferrals.carried(f.record.headers()), epochs.current(f.record.partition()));
        List<ProducerRecord<byte[], byte[]>> held = campaigns.hold(f);
        return held != null ? f.finish(held) : Step.SCHEDULE.now;
    }
}
