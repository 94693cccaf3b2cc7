package io.wabatch.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Campaign jobs for tests. */
final class Jobs {

    private Jobs() {
    }

    static ObjectNode batch(String jobId, String campaign, String channel, int recipients, int firstNumber,
                            ObjectNode message) {
        ObjectNode job = envelope(jobId, campaign, channel);
        ArrayNode list = job.putArray("recipients");
        for (int i = 0; i < recipients; i++) {
            list.addObject().put("to", String.format("+4915%09d", firstNumber + i)).putObject("vars").put("name", "n" + i);
        }
        job.set("message", message);
        return job;
    }

    static ObjectNode single(String jobId, String campaign, String channel, String to, ObjectNode message) {
        ObjectNode job = envelope(jobId, campaign, channel);
        job.put("to", to);
        job.set("message", message);
        return job;
    }

    static ObjectNode image(String link, String caption) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "image");
        message.putObject("image").put("link", link).put("caption", caption);
        return message;
    }

    static ObjectNode text(String body) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "text");
        message.putObject("text").put("body", body);
        return message;
    }

    /**
     * A template the workers pass on and the API refuses (131009, a parameter type it does not know;
     * the workers check only the parameter types that carry media or text): a dead letter of the
     * send stage.
     */
    static ObjectNode badTemplate() {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        ObjectNode template = message.putObject("template").put("name", "spring_sale");
        template.putObject("language").put("code", "en_US");
        template.putArray("components").addObject().put("type", "body").putArray("parameters").addObject()
                .put("type", "sidebar");
        return message;
    }

    /** Publishes {@code jobs} to {@code topic}, unkeyed, and waits for the broker's acknowledgements. */
    static void publish(String bootstrap, String topic, List<ObjectNode> jobs) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            jobs.forEach(job -> producer.send(new ProducerRecord<>(topic, Json.bytes(job))));
        }
    }

    private static ObjectNode envelope(String jobId, String campaign, String channel) {
        return Json.mapper().createObjectNode().put("v", 1).put("job_id", jobId).put("campaign_id", campaign)
                .put("channel", channel);
    }
}
