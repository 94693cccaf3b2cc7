package io.wabatch.common.control;

import io.wabatch.common.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
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

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final BiConsumer<String, ChannelCommand> onChannel;
    private final BiConsumer<String, CampaignCommand> onCampaign;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Thread thread;

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
        this.consumer = KafkaClients.reader(clientProperties);
        this.topic = topic;
        this.onChannel = onChannel;
        this.onCampaign = onCampaign;
        this.thread = new Thread(this::run, "control-listener");
    }

    public ControlListener start() {
        thread.start();
        return this;
    }

    /** Completes when everything in the topic at start-up has been applied. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!closing.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                if (!caughtUp.isDone() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("control listener stopped: {}", e.toString());
            caughtUp.completeExceptionally(e);
        } finally {
            consumer.close();
        }
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
        closing.set(true);
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
