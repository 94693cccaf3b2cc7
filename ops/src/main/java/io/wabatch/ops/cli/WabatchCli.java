package io.wabatch.ops.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code wabatch} command line. */
@Command(name = "wabatch", mixinStandardHelpOptions = true, version = "wabatch 0.1.0",
        description = "Kafka-driven WhatsApp media campaign sender.",
        subcommands = {DemoCommand.class, SampleCampaignCommand.class, TopicsCommand.class, TemplatesCommand.class, ChannelCommandLine.class,
                SandboxCommand.class, UploadWorkerCommand.class, SenderWorkerCommand.class, WebhookReceiverCommand.class, FunnelCommand.class, CampaignCommandLine.class, ConfigDocsCommand.class,
                MetricsDocsCommand.class, BenchCommand.class, JmhCommand.class, CommandLine.HelpCommand.class})
public final class WabatchCli {

    private WabatchCli() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int execute(String... args) {
        return new CommandLine(new WabatchCli()).execute(args);
    }
}
