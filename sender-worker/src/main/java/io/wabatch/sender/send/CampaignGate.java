package io.wabatch.sender.send;

import io.wabatch.common.control.CampaignCommand;
import io.wabatch.sender.control.CampaignControl;
import io.wabatch.sender.defer.Deferrals;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The campaign control gate: what a paused or cancelled campaign's job becomes instead of a call. A
 * paused job goes to the shortest defer tier and comes back to check again (nothing is lost, the
 * window stays free); a cancelled one ends with a {@code cancelled} result.
 *
 * <p>Threading: called on the sender's event loop; reads the campaign states, never blocks. Errors:
 * none expected.
 */
final class CampaignGate {

    private final CampaignControl campaigns;
    private final Deferrals deferrals;
    private final Outcomes outcomes;
    private final Clock clock;

    CampaignGate(CampaignControl campaigns, Deferrals deferrals, Outcomes outcomes, Clock clock) {
        this.campaigns = campaigns;
        this.deferrals = deferrals;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    /** The job's records instead of a call; null when its campaign runs. */
    /** The campaign's messaging rules as they stand. */
    io.wabatch.common.control.CampaignPolicy policy(String campaignId) {
        return campaigns.current(campaignId).effectivePolicy();
    }

    List<ProducerRecord<byte[], byte[]>> hold(Flight f) {
        CampaignCommand campaign = campaigns.current(f.job.campaignId());
        if (campaign.cancelled()) {
            return outcomes.cancelled(f, campaign);
        }
        if (campaign.paused()) {
            Instant now = clock.instant();
            return outcomes.deferred(f, now, now.plus(deferrals.threshold()), "campaign_paused", f.made());
        }
        return null;
    }
}
