package io.wabatch.ops.cli;

import io.wabatch.ops.campaign.CampaignProducers;
import io.wabatch.ops.campaign.Redrive;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wabatch campaign redrive <campaign>}: sends the campaign's failed or parked jobs again
 * ({@link Redrive} decides which), in one transaction. Exit code 0, also when there is nothing to re-drive.
 */
@Command(name = "redrive", mixinStandardHelpOptions = true,
        description = "Send again the campaign's failed or parked jobs (never one the API accepted), with their job "
                + "ids and the next generation.")
final class CampaignRedriveCommand implements Callable<Integer> {

    @Mixin
    CampaignOptions kafka;

    @Parameters(index = "0", description = "Campaign id.")
    String campaign;

    @Option(names = "--error-code", description = "Only jobs that failed with this code (e.g. 131026, in_doubt).")
    String errorCode;

    @Option(names = "--since", description = "Only jobs whose outcome was written at or after this instant.")
    Instant since;

    @Option(names = "--dry-run", description = "Count; publish nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        Redrive.Plan plan = Redrive.plan(kafka.bootstrap, kafka.topics(), campaign, errorCode, since);
        System.out.printf("campaign %s: %,d jobs to re-drive; %,d failed before reaching the sender (fix and "
                        + "publish those again); %,d skipped because the API had accepted them%n", campaign,
                plan.records().size(), plan.withoutReadyJob(), plan.acceptedSkipped());
        if (dryRun || plan.records().isEmpty()) {
            return 0;
        }
        CampaignProducers.inTransaction(kafka.bootstrap, "wabatch-redrive-" + campaign, plan.records());
        System.out.printf("re-drove %,d jobs of campaign %s%n", plan.records().size(), campaign);
        return 0;
    }
}
