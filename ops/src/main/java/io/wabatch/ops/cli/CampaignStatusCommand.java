package io.wabatch.ops.cli;

import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.contract.Json;
import io.wabatch.ops.campaign.FunnelReader;
import io.wabatch.ops.campaign.FunnelText;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wabatch campaign status <campaign>}: prints the funnel aggregator's latest record of the campaign,
 * as text or JSON, once or (with {@code --watch}) until the campaign is finished. Exit code 1 when there is
 * no funnel yet and not watching.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "The campaign's funnel (from the funnel aggregator): published, accepted, sent, delivered, "
                + "read, failed by code, ..., pricing, charged and free messages by category, the estimated cost "
                + "(when the funnel aggregator has a rate card), rate and ETA.")
final class CampaignStatusCommand implements Callable<Integer> {

    @Mixin
    CampaignOptions kafka;

    @Parameters(index = "0", description = "Campaign id.")
    String campaign;

    @Option(names = "--watch", description = "Refresh every --interval seconds until interrupted or finished.")
    boolean watch;

    @Option(names = "--interval", defaultValue = "2", description = "Seconds between refreshes with --watch.")
    int interval;

    @Option(names = "--json", description = "Print the funnel record as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
        try (FunnelReader reader = new FunnelReader(props, kafka.topics().funnel())) {
            while (true) {
                Optional<CampaignFunnel> funnel = reader.latest(campaign);
                if (funnel.isEmpty()) {
                    System.err.println("no funnel for campaign " + campaign + " yet (is the funnel aggregator, "
                            + "'wabatch funnel', running?)");
                    if (!watch) {
                        return 1;
                    }
                } else {
                    print(funnel.get());
                }
                if (!watch || funnel.map(f -> f.published() != null && f.finished() >= f.published()).orElse(false)) {
                    return 0;
                }
                // The operator's refresh rate, not a wait for some condition: nothing to be woken by.
                Thread.sleep(interval * 1000L);
            }
        }
    }

    private void print(CampaignFunnel funnel) {
        if (json) {
            System.out.println(new String(Json.bytes(funnel), StandardCharsets.UTF_8));
        } else {
            System.out.print(FunnelText.render(funnel, Instant.now()));
        }
    }
}
