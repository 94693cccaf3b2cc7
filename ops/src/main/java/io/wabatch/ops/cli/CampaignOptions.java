package io.wabatch.ops.cli;

import io.wabatch.common.kafka.TopicNames;
import io.wabatch.ops.campaign.CampaignControl;
import picocli.CommandLine.Option;

/** The options every {@code wabatch campaign} subcommand has (a picocli mixin): the cluster and the topics' prefix. */
final class CampaignOptions {

    @Option(names = {"-b", "--bootstrap-server"}, required = true, description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--topic-prefix", defaultValue = "wa",
            description = "Prefix of the topic names (default wa: wa.jobs, wa.control, wa.funnel, ...).")
    String prefix;

    TopicNames topics() {
        return "wa".equals(prefix) ? TopicNames.defaults() : TopicNames.withPrefix(prefix);
    }

    /** The campaigns' records in the control topic. */
    CampaignControl control() {
        return new CampaignControl(bootstrap, topics().control());
    }
}
