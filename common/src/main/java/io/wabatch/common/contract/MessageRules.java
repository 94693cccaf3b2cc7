package io.wabatch.common.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Validates the {@code message} of a campaign job by the rules of whatsapp-api-facts §2–§3, so
 * a job the API would reject never leaves the upload worker. Text, interactive and other bodies
 * pass through with only their required fields checked.
 */
final class MessageRules {

    static final int MAX_CAPTION = 1024;
    static final int MAX_TEXT = 4096;
    /** Every message type a campaign job may have ({@link MessageTypes#ALL}). */
    static final Set<String> TYPES = Set.of("text", "image", "audio", "video", "document", "sticker",
            "template", "interactive", "location", "contacts", "reaction");
    private static final Set<String> RESERVED = Set.of("to", "biz_opaque_callback_data");

    private final List<Problem> problems;

    MessageRules(List<Problem> problems) {
        this.problems = problems;
    }

    void check(JsonNode message) {
        if (message == null || message.isMissingNode() || message.isNull()) {
            add("message", "is required: the WhatsApp message body, e.g. {\"type\":\"text\",\"text\":{\"body\":\"Hi\"}}");
            return;
        }
        if (!message.isObject()) {
            add("message", "must be a JSON object");
            return;
        }
        RESERVED.stream().filter(message::has).forEach(field -> add("message." + field, reservedReason(field)));
        JsonNode type = message.get("type");
        if (type == null || !type.isTextual()) {
            add("message.type", "is required: one of " + String.join(", ", TYPES.stream().sorted().toList()));
            return;
        }
        String name = type.asText();
        if (!TYPES.contains(name)) {
            add("message.type", "unknown message type '" + name + "'; expected one of "
                    + String.join(", ", TYPES.stream().sorted().toList()));
            return;
        }
        JsonNode body = message.get(name);
        if (body == null || !body.isObject()) {
            add("message." + name, "is required as an object for a message of type " + name);
            return;
        }
        checkBody(name, body, "message." + name);
    }

    private void checkBody(String type, JsonNode body, String path) {
        switch (type) {
            case "text" -> checkText(body, path);
            case "template" -> checkTemplate(body, path);
            case "interactive" -> requireText(body, "type", path);
            default -> MediaType.of(type).ifPresent(media -> checkMedia(media, body, path));
        }
    }

    private void checkText(JsonNode text, String path) {
        if (requireText(text, "body", path) && text.get("body").asText().length() > MAX_TEXT) {
            add(path + ".body", "is " + text.get("body").asText().length() + " characters; the limit is " + MAX_TEXT);
        }
    }

    /** Checks a media object: exactly one of id/link, an http(s) link, caption and filename rules. */
    void checkMedia(MediaType media, JsonNode object, String path) {
        boolean hasId = object.hasNonNull("id");
        boolean hasLink = object.hasNonNull("link");
        if (hasId == hasLink) {
            add(path, hasId ? "has both id and link; give exactly one (an uploaded media id, or a link to upload)"
                    : "needs exactly one of id or link");
        }
        if (hasId && (!object.get("id").isTextual() || object.get("id").asText().isBlank())) {
            add(path + ".id", "must be a non-empty string");
        }
        if (hasLink) {
            checkLink(object.get("link"), path + ".link");
        }
        JsonNode caption = object.get("caption");
        if (caption != null && !media.captionAllowed()) {
            add(path + ".caption", media.jsonName() + " messages cannot have a caption");
        } else if (caption != null && (!caption.isTextual() || caption.asText().length() > MAX_CAPTION)) {
            add(path + ".caption", caption.isTextual()
                    ? "is " + caption.asText().length() + " characters; the limit is " + MAX_CAPTION
                    : "must be a string");
        }
        JsonNode filename = object.get("filename");
        if (filename != null && (media != MediaType.DOCUMENT || !filename.isTextual())) {
            add(path + ".filename", media == MediaType.DOCUMENT ? "must be a string" : "is only allowed on documents");
        }
    }

    private void checkLink(JsonNode link, String path) {
        if (!link.isTextual()) {
            add(path, "must be a string URL");
            return;
        }
        try {
            URI uri = new URI(link.asText());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                add(path, "must be an http or https URL, got '" + abbreviate(link.asText()) + "'");
            } else if (uri.getHost() == null || uri.getHost().isBlank()) {
                add(path, "has no host: '" + abbreviate(link.asText()) + "'");
            }
        } catch (java.net.URISyntaxException e) {
            add(path, "is not a valid URL: " + e.getReason());
        }
    }

    private void checkTemplate(JsonNode template, String path) {
        requireText(template, "name", path);
        JsonNode language = template.get("language");
        if (language == null || !language.isObject()) {
            add(path + ".language", "is required, e.g. {\"code\": \"en_US\"}");
        } else {
            requireText(language, "code", path + ".language");
        }
        JsonNode components = template.get("components");
        if (components == null) {
            return;
        }
        if (!components.isArray()) {
            add(path + ".components", "must be an array");
            return;
        }
        for (int i = 0; i < components.size(); i++) {
            checkComponent(components.get(i), path + ".components[" + i + "]");
        }
    }

    private void checkComponent(JsonNode component, String path) {
        if (!component.isObject()) {
            add(path, "must be an object");
            return;
        }
        requireText(component, "type", path);
        JsonNode parameters = component.get("parameters");
        if (parameters == null) {
            return;
        }
        if (!parameters.isArray()) {
            add(path + ".parameters", "must be an array");
            return;
        }
        for (int i = 0; i < parameters.size(); i++) {
            checkParameter(parameters.get(i), path + ".parameters[" + i + "]");
        }
    }

    private void checkParameter(JsonNode parameter, String path) {
        if (!parameter.isObject()) {
            add(path, "must be an object");
            return;
        }
        if (!requireText(parameter, "type", path)) {
            return;
        }
        String type = parameter.get("type").asText();
        MediaType.of(type).ifPresent(media -> {
            JsonNode object = parameter.get(type);
            if (object == null || !object.isObject()) {
                add(path + "." + type, "is required as an object for a parameter of type " + type);
            } else {
                checkMedia(media, object, path + "." + type);
            }
        });
        if (type.equals("text") && !parameter.path("text").isTextual()) {
            add(path + ".text", "is required for a parameter of type text");
        }
    }

    private boolean requireText(JsonNode object, String field, String path) {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            add(path + "." + field, value == null ? "is required" : "must be a non-empty string");
            return false;
        }
        return true;
    }

    private static String reservedReason(String field) {
        return field.equals("to")
                ? "the recipient goes in the job's 'to' or 'recipients', not in the message"
                : "is set by the sender for correlation; put your own reference in the job's 'callback_data'";
    }

    static String abbreviate(String value) {
        return value.length() <= 120 ? value : value.substring(0, 117) + "...";
    }

    private void add(String path, String reason) {
        problems.add(new Problem(path, reason));
    }
}
