package io.wabatch.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;

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

    private static ObjectNode envelope(String jobId, String campaign, String channel) {
        return Json.mapper().createObjectNode().put("v", 1).put("job_id", jobId).put("campaign_id", campaign)
                .put("channel", channel);
    }
}
