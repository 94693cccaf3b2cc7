package io.wabatch.ops.cli;

import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.TopicSpec;
import io.wabatch.common.kafka.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wabatch topics create}: creates wabatch's topics with the right cleanup policies and partitions. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage wabatch's Kafka topics.",
        subcommands = TopicsCommand.Create.class)
final class TopicsCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create missing topics (compacted wa.media-cache and wa.control, the rest delete), "
                    + "then check all of them.")
    static final class Create implements Callable<Integer> {

        @Option(names = {"-b", "--bootstrap-server"}, required = true, description = "Kafka bootstrap servers.")
        String bootstrap;

        @Option(names = "--partitions", defaultValue = "12",
                description = "Partitions per topic; the channel-partitioned topics need one per channel.")
        int partitions;

        @Option(names = "--replication-factor", defaultValue = "1", description = "Replication factor (3 in production).")
        short replication;

        @Option(names = "--defer-tiers", defaultValue = "1m,10m,1h,6h",
                description = "Delays of the deferred tier topics; the workers' defer.tiers must match.")
        String deferTiers;

        @Override
        public Integer call() throws Exception {
            List<TopicSpec> specs = TopicNames.defaults()
                    .withDeferTiers(io.wabatch.common.kafka.DeferTiers.parse(deferTiers)).specs(partitions);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                List<String> created = Topics.create(admin, specs, replication);
                Topics.check(admin, specs, 1);
                for (TopicSpec spec : specs) {
                    System.out.printf("%-22s %-8s %s%n", spec.name(), spec.cleanup().configValue(),
                            created.contains(spec.name()) ? "created" : "exists");
                }
            }
            return 0;
        }
    }
}
