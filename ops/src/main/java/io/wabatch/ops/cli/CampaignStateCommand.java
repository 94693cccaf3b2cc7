package io.wabatch.ops.cli;

import io.wabatch.common.control.CampaignCommand;
import io.wabatch.ops.campaign.CampaignControl;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wabatch campaign pause|resume|cancel <campaign>}: writes the campaign's next state to the control
 * topic, from its latest record there, which every sender follows. Exit code 2 when the campaign is
 * cancelled already (that is final), 0 once the new state is acknowledged.
 */
abstract class CampaignStateCommand implements Callable<Integer> {

    @Mixin
    CampaignOptions kafka;

    @Parameters(index = "0", description = "Campaign id.")
    String campaign;

    @Option(names = "--reason", defaultValue = "operator", description = "Why, for logs and status.")
    String reason;

    /** The state the command sets. */
    abstract String state();

    @Override
    public Integer call() throws Exception {
        CampaignControl control = kafka.control();
        CampaignCommand latest = control.latest(campaign).orElse(CampaignCommand.initial());
        if (latest.cancelled()) {
            System.err.println("campaign " + campaign + " is cancelled; that is final");
            return 2;
        }
        CampaignCommand next = latest.to(state(), reason, "operator", Instant.now());
        control.write(campaign, next);
        System.out.println("campaign " + campaign + " " + next.state());
        return 0;
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pause a campaign on every sender: its jobs wait in the deferred topics, nothing is lost.")
    static final class Pause extends CampaignStateCommand {
        @Override
        String state() {
            return CampaignCommand.PAUSED;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a paused campaign (also one the funnel aggregator paused; it will not pause it again).")
    static final class Resume extends CampaignStateCommand {
        @Override
        String state() {
            return CampaignCommand.RUNNING;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a campaign: its unsent jobs end with 'cancelled' results. Final.")
    static final class Cancel extends CampaignStateCommand {
        @Override
        String state() {
            return CampaignCommand.CANCELLED;
        }
    }
}
