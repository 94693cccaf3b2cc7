package io.wabatch.ops.cli;

import io.wabatch.ops.demo.SampleCampaign;
import io.wabatch.sandbox.origin.MediaOrigin;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wabatch sample-campaign}: the demo's campaign against a running deployment (docker
 * compose): serves the sample media from a local origin, publishes the jobs, and keeps serving
 * until stopped, since the upload workers fetch the links after the jobs are published.
 */
@Command(name = "sample-campaign", mixinStandardHelpOptions = true,
        description = "Publish the demo campaign to a running deployment and serve its media.")
final class SampleCampaignCommand implements Callable<Integer> {

    @Option(names = {"-b", "--bootstrap-server"}, required = true, description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--topic", defaultValue = "wa.jobs", description = "The jobs topic.")
    String topic;

    @Option(names = "--channels", split = ",", defaultValue = "demo-360,demo-meta",
            description = "Channel ids to address (the deployment's registry must know them).")
    List<String> channels;

    @Option(names = "--media-bind", defaultValue = "127.0.0.1", description = "Address the media origin binds.")
    String mediaBind;

    @Option(names = "--media-port", defaultValue = "8090", description = "Port of the media origin (0 = any).")
    int mediaPort;

    @Option(names = "--media-host", defaultValue = "127.0.0.1",
            description = "Host name the upload workers reach the origin by (it goes into the links); the workers' "
                    + "media.allow must name it when it resolves to a private address.")
    String mediaHost;

    @Option(names = "--hold", description = "Keep serving the media after publishing, until stopped.")
    boolean hold;

    @Override
    public Integer call() throws Exception {
        try (MediaOrigin origin = MediaOrigin.start(mediaBind, mediaPort, mediaHost)) {
            String campaignId = "sample-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            SampleCampaign campaign = SampleCampaign.build(campaignId, origin, channels);
            campaign.publish(bootstrap, topic);
            System.out.printf("published campaign %s to %s: %d jobs, %d recipients over %s; media at %s%n",
                    campaignId, topic, campaign.jobs().size(), campaign.recipients(), String.join(", ", channels),
                    origin.url("/media/"));
            if (hold) {
                System.out.println("serving media until stopped");
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
                stopped.await();
            }
        }
        return 0;
    }
}
