package io.wabatch.ops.campaign;

import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.kafka.KafkaClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads a campaign's latest funnel from the compacted {@code wa.funnel} topic: only the one
 * partition its key hashes to (the default partitioner, as the aggregator wrote it), from its
 * start to its end, keeping the last value for the key. Compaction keeps that partition to about
 * one record per campaign, so this is a short read, not a scan of the campaign's events.
 */
public final class FunnelReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;

    public FunnelReader(Map<String, Object> clientProperties, String topic) {
        this.consumer = KafkaClients.reader(clientProperties);
        this.topic = topic;
    }

    /** The campaign's latest funnel, or empty when the aggregator has not seen it. */
    public Optional<CampaignFunnel> latest(String campaign) throws IOException {
        byte[] key = campaign.getBytes(StandardCharsets.UTF_8);
        int partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).size();
        TopicPartition partition = new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % partitions);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        byte[] latest = null;
        while (consumer.position(partition) < end) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (Arrays.equals(record.key(), key)) {
                    latest = record.value();
                }
            }
        }
        return latest == null ? Optional.empty() : Optional.of(CampaignFunnel.decode(latest));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
