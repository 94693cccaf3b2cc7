package io.wabatch.ops.cli;

import picocli.CommandLine.Command;

/**
 * {@code wabatch campaign publish|status|pause|resume|cancel|redrive}: a campaign's life from the
 * command line. Publishing validates everything before writing anything and writes all jobs in one
 * Kafka transaction; the state commands write the campaign's record in the compacted {@code
 * wa.control}, which every sender follows; {@code status} reads the funnel aggregator's record. One
 * class per subcommand; what they share is {@link CampaignOptions}, and what is not the command line
 * lives in {@code io.wabatch.ops.campaign}.
 */
@Command(name = "campaign", mixinStandardHelpOptions = true,
        description = "Publish a campaign from a CSV, see its funnel, pause, resume, cancel or re-drive it.",
        subcommands = {CampaignPublishCommand.class, CampaignStatusCommand.class, CampaignStateCommand.Pause.class,
                CampaignStateCommand.Resume.class, CampaignStateCommand.Cancel.class, CampaignRedriveCommand.class})
final class CampaignCommandLine {
}
