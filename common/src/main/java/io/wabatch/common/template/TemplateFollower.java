package io.wabatch.common.template;

import io.wabatch.common.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted template topic from its beginning into a {@link TemplateCatalogue}, without
 * a consumer group, so every instance holds every account. Runs on its own thread; {@link #caughtUp()}
 * completes once the topic's end at start has been applied, so a worker checks its first job against
 * the catalogue as it was then; {@link #terminated()} completes exceptionally if it stops following.
 */
public final class TemplateFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateFollower.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final TemplateCatalogue catalogue;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Thread thread;

    public TemplateFollower(Map<String, Object> clientProperties, String topic, TemplateCatalogue catalogue) {
        this.consumer = KafkaClients.reader(clientProperties);
        this.topic = topic;
        this.catalogue = catalogue;
        this.thread = new Thread(this::run, "template-follower");
        thread.setDaemon(true);
    }

    public TemplateFollower start() {
        thread.start();
        return this;
    }

    /** Completes when everything in the topic at start has been applied. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /** Completes exceptionally when the follower stopped following the topic (the worker then stops too). */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long read = 0;
            while (!closing.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    catalogue.apply(record.key(), record.value());
                    read++;
                }
                if (!caughtUp.isDone() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    LOG.info("template catalogue restored: {} records read, {} templates of {} accounts", read,
                            catalogue.size(), catalogue.accounts().size());
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("template follower stopped: {}", e.toString());
            caughtUp.completeExceptionally(e);
            terminated.completeExceptionally(e);
        } finally {
            consumer.close();
            terminated.complete(null);
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
