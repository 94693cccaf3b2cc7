package io.wabatch.common.control;

import io.wabatch.common.kafka.TopicFollower;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code wa.control} topic from its beginning, without a consumer group, so
 * every instance applies every command (channel and campaign pauses, resumes, cancels), also those written before it
 * started. Runs on its own thread; {@link #caughtUp()} completes once the topic's end at start has
 * been read, so a worker can apply the current state before it sends anything.
 */
public final class ControlListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlListener.class);

    private final BiConsumer<String, ChannelCommand> onChannel;
    private final BiConsumer<String, CampaignCommand> onCampaign;
    private final TopicFollower follower;

    /** @param onChannel called on the listener's thread with (channel, command) for every channel command */
    public ControlListener(Map<String, Object> clientProperties, String topic, BiConsumer<String, ChannelCommand> onChannel) {
        this(clientProperties, topic, onChannel, (campaign, command) -> { });
    }

    /**
     * @param onChannel  called on the listener's thread with (channel, command) for every channel command
     * @param onCampaign called on the listener's thread with (campaign, command) for every campaign command
     */
    public ControlListener(Map<String, Object> clientProperties, String topic, BiConsumer<String, ChannelCommand> onChannel,
                           BiConsumer<String, CampaignCommand> onCampaign) {
        this.onChannel = onChannel;
        this.onCampaign = onCampaign;
        this.follower = TopicFollower.named("control-listener", clientProperties).fromBeginning(topic)
                .onRecord(this::apply).build();
    }

    public ControlListener start() {
        follower.start();
        return this;
    }

    /** Completes when everything in the topic at start-up has been applied. */
    public CompletableFuture<Void> caughtUp() {
        return follower.caughtUp();
    }

    /** Completes exceptionally when the listener stopped following the topic. */
    public CompletableFuture<Void> terminated() {
        return follower.terminated();
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String channel = ChannelCommand.channelOf(record.key());
        if (channel != null) {
            ChannelCommand command = ChannelCommand.read(record.value());
            if (command != null) {
                onChannel.accept(channel, command);
            }
            return;
        }
        String campaign = CampaignCommand.campaignOf(record.key());
        CampaignCommand command = campaign == null ? null : CampaignCommand.read(record.value());
        if (command != null) {
            onCampaign.accept(campaign, command);
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
