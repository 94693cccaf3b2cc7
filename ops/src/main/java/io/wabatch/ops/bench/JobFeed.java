package io.wabatch.ops.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Campaign jobs as a producer writes them to {@code wa.jobs} (DESIGN §3), and the producer that
 * publishes them: unkeyed, acks=all, batched. Recipients are {@code +4915} and nine digits, so a
 * scenario gives every message a recipient of its own (no pair-limit waits) by counting up.
 */
final class JobFeed implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    JobFeed(String bootstrap, String topic) {
        this(bootstrap, topic, 5);
    }

    /** A feed whose producer waits up to {@code lingerMs} to fill a batch (0 for latency measurements). */
    JobFeed(String bootstrap, String topic, int lingerMs) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends {@code job} (asynchronously; {@link #flush} waits for the acknowledgements). */
    void publish(ObjectNode job) {
        producer.send(new ProducerRecord<>(topic, Json.bytes(job)), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
    }

    /** Waits for every acknowledgement; fails if any publish failed. */
    void flush() {
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("publishing a bench job failed", failure.get());
        }
    }

    /** The recipient number {@code n} (0 ≤ n < 10⁹). */
    static String recipient(long n) {
        return String.format("+4915%09d", n);
    }

    /** A job for one recipient. */
    static ObjectNode single(String jobId, String campaign, String channel, long recipient, ObjectNode message) {
        ObjectNode job = envelope(jobId, campaign, channel);
        job.put("to", recipient(recipient));
        job.set("message", message);
        return job;
    }

    /** A job for {@code count} recipients from {@code first} on, each with a {@code name} variable. */
    static ObjectNode batch(String jobId, String campaign, String channel, long first, int count, ObjectNode message) {
        ObjectNode job = envelope(jobId, campaign, channel);
        ArrayNode list = job.putArray("recipients");
        for (int i = 0; i < count; i++) {
            list.addObject().put("to", recipient(first + i)).putObject("vars").put("name", "n" + (first + i));
        }
        job.set("message", message);
        return job;
    }

    static ObjectNode text(String body) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "text");
        message.putObject("text").put("body", body);
        return message;
    }

    /** An image, video, audio or document message by link. */
    static ObjectNode mediaLink(String type, String link) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", type);
        ObjectNode media = message.putObject(type).put("link", link);
        if (type.equals("document")) {
            media.put("filename", "report.pdf");
        }
        return message;
    }

    /** An image message by media id (uploaded beforehand). */
    static ObjectNode imageById(String mediaId) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "image");
        message.putObject("image").put("id", mediaId).put("caption", "Hi {{name}}, 20% off this week");
        return message;
    }

    private static ObjectNode envelope(String jobId, String campaign, String channel) {
        return Json.mapper().createObjectNode().put("v", 1).put("job_id", jobId).put("campaign_id", campaign)
                .put("channel", channel);
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(30));
    }

    static void sleepNanos(long nanos) {
        if (nanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
