package io.wabatch.sender.send;

import io.wabatch.common.control.CampaignCommand;
import io.wabatch.sender.control.CampaignControl;
import io.wabatch.sender.defer.Deferrals;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The campaign control gate: what a cancelled, expired or paused campaign's job becomes instead of a
 * call. A cancelled one ends with a {@code cancelled} result; one past its deadline (its campaign's
 * {@code send_before} or its own {@code not_after}) with an {@code expired} result, whether its campaign
 * runs or is paused; a paused job goes to the shortest defer tier and comes back to check again
 * (nothing is lost, the window stays free).
 *
 * <p>Threading: called on the sender's event loop; reads the campaign states, never blocks. Errors:
 * none expected.
 */
final class CampaignGate {

    private final CampaignControl campaigns;
    private final Deferrals deferrals;
    private final Deadlines deadlines;
    private final Outcomes outcomes;
    private final Clock clock;

    CampaignGate(CampaignControl campaigns, Deferrals deferrals, Deadlines deadlines, Outcomes outcomes, Clock clock) {
        this.campaigns = campaigns;
        this.deferrals = deferrals;
        this.deadlines = deadlines;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    /** The campaign's messaging rules as they stand. */
    io.wabatch.common.control.CampaignPolicy policy(String campaignId) {
        return campaigns.current(campaignId).effectivePolicy();
    }

    /** The job's records instead of a call; null when its campaign runs and its deadline is ahead. */
    List<ProducerRecord<byte[], byte[]>> hold(Flight f) {
        CampaignCommand campaign = campaigns.current(f.job.campaignId());
        if (campaign.cancelled()) {
            return outcomes.cancelled(f, campaign);
        }
        Instant now = clock.instant();
        Deadlines.Deadline deadline = deadlines.of(f.job);
        if (deadline != null && deadline.passed(now)) {
            // A resume after the deadline sends nothing, and a pause that outlasts it ends the wait.
            return outcomes.expired(f, deadline.details(now, null, null)
                    + (campaign.paused() ? " while campaign " + f.job.campaignId() + " was paused" : ""));
        }
        if (campaign.paused()) {
            return outcomes.deferred(f, now, now.plus(deferrals.threshold()), "campaign_paused", f.made());
        }
        return null;
    }
}
