package io.wabatch.sender.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.sender.control.CampaignControl;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private static final Instant T = Instant.parse("2026-12-07T18:00:00Z");

    private final CampaignControl campaigns = new CampaignControl();
    private final Deadlines deadlines = new Deadlines(campaigns);

    @Test
    void aJobWithoutNotAfterOrSendBeforeHasNoDeadline() {
        assertThat(deadlines.of(job("free", null))).isNull();
        assertThat(deadlines.open(job("free", null), Instant.MAX)).isTrue();
    }

    @Test
    void theCampaignsSendBeforeIsExclusiveAndAJobsNotAfterInclusive() {
        sendBefore("offer", T);

        assertThat(deadlines.open(job("offer", null), T.minusMillis(1))).isTrue();
        assertThat(deadlines.open(job("offer", null), T)).as("nothing is sent at send_before itself").isFalse();
        assertThat(deadlines.open(job("plain", T), T)).as("a message may go at its not_after").isTrue();
        assertThat(deadlines.open(job("plain", T), T.plusMillis(1))).isFalse();
    }

    @Test
    void theEarlierOfNotAfterAndSendBeforeApplies() {
        sendBefore("offer", T);

        Deadlines.Deadline campaign = deadlines.of(job("offer", T.plusSeconds(60)));
        assertThat(campaign.at()).isEqualTo(T);
        assertThat(campaign.source()).isEqualTo("campaign offer's send_before");
        Deadlines.Deadline own = deadlines.of(job("offer", T.minusSeconds(60)));
        assertThat(own.at()).isEqualTo(T.minusSeconds(60));
        assertThat(own.source()).isEqualTo("not_after");
        assertThat(deadlines.of(job("offer", T)).source()).as("equal: the stricter send_before")
                .isEqualTo("campaign offer's send_before");
    }

    @Test
    void aDueTimeAtOrAfterTheDeadlineMissesItAndTheDetailsSayWhy() {
        sendBefore("offer", T);
        ReadyJob job = job("offer", null);

        assertThat(deadlines.missedBy(job, T.minusSeconds(1))).isFalse();
        assertThat(deadlines.missedBy(job, T)).isTrue();
        assertThat(deadlines.missedBy(job, null)).isFalse();
        Deadlines.Deadline deadline = deadlines.of(job);
        assertThat(deadline.details(T.minusSeconds(60), T.plusSeconds(3600), "quiet_hours"))
                .isEqualTo("it could not be sent before " + T.plusSeconds(3600) + " (quiet_hours), after its "
                        + "campaign offer's send_before " + T);
        assertThat(deadline.details(T, null, null)).isEqualTo("campaign offer's send_before " + T + " passed");
    }

    @Test
    void aSendBeforeReadAfterTheJobStartedStillHolds() {
        ReadyJob job = job("late", null);
        assertThat(deadlines.open(job, T)).isTrue();

        sendBefore("late", T.minusSeconds(1));

        assertThat(deadlines.open(job, T)).isFalse();
    }

    private void sendBefore(String campaign, Instant at) {
        campaigns.apply(campaign, new CampaignCommand(CampaignCommand.RUNNING, null, "publish", T, 1L,
                new CampaignPolicy("marketing", null, null, null, at)));
    }

    private static ReadyJob job(String campaign, Instant notAfter) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "text");
        message.putObject("text").put("body", "hi");
        return new ReadyJob(1, campaign + "/1", campaign, "acme", "4915123456789", message, List.of(), notAfter, null,
                null, null, 1, T, T);
    }
}
