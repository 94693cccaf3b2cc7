package io.wabatch.ops.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import io.wabatch.sandbox.origin.MediaOrigin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The demo's campaign: for each channel, batch jobs of templates with image and document headers,
 * a media card carousel template, reply buttons with a video header, images, documents, a video
 * and texts, {@value #PER_CHANNEL} recipients in all, with per-recipient vars. The carousel's cards
 * and the buttons' header reuse links of the other messages, so they add no upload. Every link points at the local media origin, so each channel needs exactly
 * {@link #distinctMedia()} uploads.
 */
public final class SampleCampaign {

    /** Recipients per channel. */
    public static final int PER_CHANNEL = 1_050;
    private static final int BATCH = 50;
    private static final String[] NAMES = {"Ana", "Ben", "Chloé", "Deniz", "Emeka", "Fatima", "Goran", "Hana"};

    private final String campaignId;
    private final MediaOrigin origin;
    private final List<ObjectNode> jobs = new ArrayList<>();
    private final Set<String> links = new HashSet<>();
    private int recipients;

    private SampleCampaign(String campaignId, MediaOrigin origin) {
        this.campaignId = campaignId;
        this.origin = origin;
    }

    /** Builds the campaign for the given channels; each channel gets its own number range. */
    public static SampleCampaign build(String campaignId, MediaOrigin origin, List<String> channels) {
        SampleCampaign campaign = new SampleCampaign(campaignId, origin);
        for (int c = 0; c < channels.size(); c++) {
            campaign.addChannel(channels.get(c), c);
        }
        return campaign;
    }

    private void addChannel(String channel, int channelIndex) {
        int next = 0;
        next = add(channel, channelIndex, next, 250, template("spring_promo", "image", link("sample.jpg"), null));
        next = add(channel, channelIndex, next, 200, template("invoice_ready", "document", link("sample.pdf"), "invoice.pdf"));
        next = add(channel, channelIndex, next, 200, media("image", link("sample.png"), "Hi {{name}}, 20% off this week", null));
        next = add(channel, channelIndex, next, 150, media("document", link("sample.pdf"), "Your catalogue, {{name}}", "catalogue.pdf"));
        next = add(channel, channelIndex, next, 100, media("video", link("sample.mp4"), "Watch the new collection", null));
        next = add(channel, channelIndex, next, 50, carousel(link("sample.jpg"), link("sample.png")));
        next = add(channel, channelIndex, next, 50, replyButtons("video", link("sample.mp4")));
        add(channel, channelIndex, next, 50, text("Hello {{name}}, your order has shipped."));
    }

    private int add(String channel, int channelIndex, int first, int count, ObjectNode message) {
        for (int start = first; start < first + count; start += BATCH) {
            int size = Math.min(BATCH, first + count - start);
            ObjectNode job = Json.mapper().createObjectNode();
            job.put("v", 1);
            job.put("job_id", campaignId + "-" + channel + "-" + String.format("%05d", start));
            job.put("campaign_id", campaignId);
            job.put("channel", channel);
            ArrayNode list = job.putArray("recipients");
            for (int i = start; i < start + size; i++) {
                ObjectNode recipient = list.addObject();
                recipient.put("to", phone(channelIndex, i));
                recipient.putObject("vars").put("name", NAMES[i % NAMES.length]);
            }
            job.set("message", message.deepCopy());
            job.put("callback_data", "crm-" + channel + "-" + start);
            jobs.add(job);
            recipients += size;
        }
        return first + count;
    }

    /** German mobile numbers for the first channel, Dutch for the second, and so on. */
    static String phone(int channelIndex, int i) {
        String[] prefixes = {"+49151", "+316", "+44770", "+33612"};
        String prefix = prefixes[channelIndex % prefixes.length];
        int digits = prefix.startsWith("+316") ? 8 : prefix.startsWith("+33612") ? 6 : 7;
        return prefix + String.format("%0" + digits + "d", i + 1);
    }

    private String link(String sample) {
        String url = origin.url("/media/" + sample);
        links.add(url);
        return url;
    }

    private static ObjectNode template(String name, String headerType, String link, String filename) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        ObjectNode template = message.putObject("template").put("name", name);
        template.putObject("language").put("code", "en_US");
        ArrayNode components = template.putArray("components");
        ObjectNode header = components.addObject().put("type", "header").putArray("parameters").addObject()
                .put("type", headerType);
        ObjectNode media = header.putObject(headerType).put("link", link);
        if (filename != null) {
            media.put("filename", filename);
        }
        components.addObject().put("type", "body").putArray("parameters").addObject()
                .put("type", "text").put("text", "{{name}}");
        return message;
    }

    /** A media card carousel template: body text, then one card per link, each with an image header. */
    private static ObjectNode carousel(String... links) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        ObjectNode template = message.putObject("template").put("name", "summer_carousel");
        template.putObject("language").put("code", "en_US");
        ArrayNode components = template.putArray("components");
        components.addObject().put("type", "body").putArray("parameters").addObject()
                .put("type", "text").put("text", "{{name}}");
        ArrayNode cards = components.addObject().put("type", "carousel").putArray("cards");
        for (int k = 0; k < links.length; k++) {
            ArrayNode parts = cards.addObject().put("card_index", k).putArray("components");
            parts.addObject().put("type", "header").putArray("parameters").addObject().put("type", "image")
                    .putObject("image").put("link", links[k]);
            parts.addObject().put("type", "button").put("sub_type", "quick_reply").put("index", "0")
                    .putArray("parameters").addObject().put("type", "payload").put("payload", "card-" + k);
        }
        return message;
    }

    /** An interactive reply-buttons message with a media header. */
    private static ObjectNode replyButtons(String headerType, String link) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "interactive");
        ObjectNode interactive = message.putObject("interactive").put("type", "button");
        interactive.putObject("header").put("type", headerType).putObject(headerType).put("link", link);
        interactive.putObject("body").put("text", "{{name}}, shall we keep the new collection for you?");
        ArrayNode buttons = interactive.putObject("action").putArray("buttons");
        buttons.addObject().put("type", "reply").putObject("reply").put("id", "keep").put("title", "Yes, keep it");
        buttons.addObject().put("type", "reply").putObject("reply").put("id", "skip").put("title", "No, thanks");
        return message;
    }

    private static ObjectNode media(String type, String link, String caption, String filename) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", type);
        ObjectNode media = message.putObject(type).put("link", link).put("caption", caption);
        if (filename != null) {
            media.put("filename", filename);
        }
        return message;
    }

    private static ObjectNode text(String body) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "text");
        message.putObject("text").put("body", body);
        return message;
    }

    public String campaignId() {
        return campaignId;
    }

    public List<ObjectNode> jobs() {
        return jobs;
    }

    /** Recipients over all jobs: the messages the campaign should produce. */
    public int recipients() {
        return recipients;
    }

    /** Publishes every job to {@code topic}, keyed by its job id, and waits for the broker's acknowledgements. */
    public void publish(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ObjectNode job : jobs) {
                producer.send(new ProducerRecord<>(topic, job.get("job_id").asText().getBytes(StandardCharsets.UTF_8),
                        Json.bytes(job)));
            }
            producer.flush();
        }
    }

    /** Distinct media links; each channel uploads each once. */
    public int distinctMedia() {
        return links.size();
    }
}
