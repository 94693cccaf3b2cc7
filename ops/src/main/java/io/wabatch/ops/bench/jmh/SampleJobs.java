package io.wabatch.ops.bench.jmh;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.CampaignJob;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.MediaRef;
import io.wabatch.common.contract.ReadyJob;
import java.time.Instant;
import java.util.List;

/** Jobs as the workers meet them in a campaign, for the benchmarks. */
final class SampleJobs {

    /** The channel of every sample job; the validator knows it. */
    static final String CHANNEL = "d360-de-1";
    /** Recipients of the image batch: a typical CRM export chunk. */
    static final int BATCH_RECIPIENTS = 100;

    private static final String[] NAMES = {"Anna", "Jonas", "Leonie", "Mehmet", "Sofia", "Lukas", "Marie", "Elias"};

    private SampleJobs() {
    }

    /** A text job to one recipient, as a transactional notification sends it. */
    static byte[] textJob() {
        ObjectNode job = envelope("order-4711-shipped");
        job.put("to", "+49 151 2345 6789");
        job.putObject("message").put("type", "text").putObject("text")
                .put("body", "Your order 4711 has shipped and arrives on Thursday. Track it at https://example.com/t/4711");
        job.put("callback_data", "crm-order-4711");
        return Json.bytes(job);
    }

    /** An image by link with a personalised caption, to {@link #BATCH_RECIPIENTS} recipients with vars. */
    static byte[] imageBatchJob() {
        ObjectNode job = envelope("spring-sale-de-00001");
        ArrayNode recipients = job.putArray("recipients");
        for (int i = 0; i < BATCH_RECIPIENTS; i++) {
            ObjectNode recipient = recipients.addObject().put("to", String.format("+49 151 %08d", 23_450_000 + i));
            recipient.putObject("vars").put("name", NAMES[i % NAMES.length]).put("code", "SPRING" + (1000 + i));
        }
        job.putObject("message").put("type", "image").putObject("image")
                .put("link", "https://cdn.example.com/campaigns/spring-sale/hero-1080x1080.jpg")
                .put("caption", "Hi {{name}}, spring sale: 20 % off everything until Sunday with code {{code}}.");
        job.put("not_after", "2026-05-01T18:00:00Z");
        job.put("callback_data", "crm-spring-sale-batch-1");
        return Json.bytes(job);
    }

    /** One recipient of {@link #imageBatchJob()} after upload and fan-out, as the sender reads it. */
    static byte[] readyImageJob() {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "image");
        message.putObject("image").put("id", "1044178413712457")
                .put("caption", "Hi Leonie, spring sale: 20 % off everything until Sunday with code SPRING1002.");
        MediaRef media = new MediaRef("/image", "https://cdn.example.com/campaigns/spring-sale/hero-1080x1080.jpg",
                "1044178413712457", "image/jpeg", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        ReadyJob ready = new ReadyJob(CampaignJob.VERSION, "spring-sale-de-00001/2", "spring-sale", CHANNEL,
                "4915123450002", message, List.of(media), Instant.parse("2026-05-01T18:00:00Z"), null, null,
                "crm-spring-sale-batch-1", 1, Instant.parse("2026-04-20T09:00:00.125Z"),
                Instant.parse("2026-04-20T09:00:01.480Z"));
        return Json.bytes(ready);
    }

    private static ObjectNode envelope(String jobId) {
        return Json.mapper().createObjectNode().put("v", 1).put("job_id", jobId)
                .put("campaign_id", jobId.startsWith("order") ? "orders" : "spring-sale").put("channel", CHANNEL);
    }
}
