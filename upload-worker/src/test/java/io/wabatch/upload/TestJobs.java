package io.wabatch.upload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;

/** Campaign jobs ({@code wa.jobs}, v1) and messages for the upload worker's integration tests. */
final class TestJobs {

    private TestJobs() {
    }

    /** A valid German mobile number, distinct for every {@code n} below 10⁹. */
    static String number(long n) {
        return String.format("+4915%09d", n);
    }

    /** A batch job to {@code count} recipients {@link #number numbered} from {@code firstNumber}. */
    static ObjectNode batch(String jobId, String campaign, String channel, int count, long firstNumber,
                            ObjectNode message) {
        ObjectNode job = envelope(jobId, campaign, channel);
        ArrayNode recipients = job.putArray("recipients");
        for (int i = 0; i < count; i++) {
            recipients.add(number(firstNumber + i));
        }
        job.set("message", message);
        return job;
    }

    /** A job to one recipient. */
    static ObjectNode single(String jobId, String campaign, String channel, long number, ObjectNode message) {
        ObjectNode job = envelope(jobId, campaign, channel);
        job.put("to", number(number));
        job.set("message", message);
        return job;
    }

    static ObjectNode media(String type, String link) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", type);
        message.putObject(type).put("link", link);
        return message;
    }

    static ObjectNode image(String link) {
        return media("image", link);
    }

    static ObjectNode document(String link, String filename) {
        ObjectNode message = media("document", link);
        if (filename != null) {
            ((ObjectNode) message.get("document")).put("filename", filename);
        }
        return message;
    }

    static ObjectNode text(String body) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "text");
        message.putObject("text").put("body", body);
        return message;
    }

    private static ObjectNode envelope(String jobId, String campaign, String channel) {
        return Json.mapper().createObjectNode().put("v", 1).put("job_id", jobId).put("campaign_id", campaign)
                .put("channel", channel);
    }
}
