package io.wabatch.common.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Validates the {@code message} of a campaign job by the rules of whatsapp-api-facts §2–§3 and §9,
 * so a job the API would reject never leaves the upload worker: the envelope and text here (a
 * message without a {@code type} is a text message, as the API reads it and as one of Meta's own
 * examples sends it), templates in {@link TemplateRules}, interactive messages in
 * {@link InteractiveRules}, and every media object that {@link MediaObjects} finds, wherever it sits. Location and reaction bodies pass
 * through with only their object checked, contacts with only their array of objects.
 */
final class MessageRules {

    static final int MAX_CAPTION = 1024;
    static final int MAX_TEXT = 4096;
    /** Every message type a campaign job may have ({@link MessageTypes#ALL}). */
    static final Set<String> TYPES = Set.of("text", "image", "audio", "video", "document", "sticker",
            "template", "interactive", "location", "contacts", "reaction");
    private static final Set<String> RESERVED = Set.of("to", "recipient", "biz_opaque_callback_data");

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
        if (type != null && !type.isTextual()) {
            add("message.type", "must be one of " + String.join(", ", TYPES.stream().sorted().toList())
                    + ", or left out for text");
            return;
        }
        String name = type == null ? "text" : type.asText();
        if (!TYPES.contains(name)) {
            add("message.type", "unknown message type '" + name + "'; expected one of "
                    + String.join(", ", TYPES.stream().sorted().toList())
                    + (TYPES.contains(name.toLowerCase(Locale.ROOT)) ? " (message types are lower case)" : ""));
            return;
        }
        JsonNode body = message.get(name);
        if (name.equals("contacts")) {
            checkContacts(body, "message.contacts");
            return;
        }
        if (body == null || !body.isObject()) {
            add("message." + name, "is required as an object for a message of type " + name
                    + (type == null ? " (a message without a type is a text message, as the API reads it)" : ""));
            return;
        }
        switch (name) {
            case "text" -> checkText(body, "message.text");
            case "template" -> new TemplateRules(this).check(body, "message.template");
            case "interactive" -> new InteractiveRules(this).check(body, "message.interactive");
            default -> { }
        }
        MediaObjects.find(message).forEach(this::checkMedia);
    }

    private void checkText(JsonNode text, String path) {
        if (requireText(text, "body", path) && text.get("body").asText().length() > MAX_TEXT) {
            add(path + ".body", "is " + text.get("body").asText().length() + " characters; the limit is " + MAX_TEXT);
        }
    }

    /** A contacts message carries an array of contact cards, not an object (Meta's own examples). */
    private void checkContacts(JsonNode contacts, String path) {
        if (contacts == null || !contacts.isArray() || contacts.isEmpty()) {
            add(path, "is required as a non-empty array of contacts for a message of type contacts, e.g. "
                    + "[{\"name\":{\"formatted_name\":\"Ana Silva\"}}]");
            return;
        }
        for (int i = 0; i < contacts.size(); i++) {
            if (!contacts.get(i).isObject()) {
                add(path + "[" + i + "]", "must be an object (a contact card)");
            }
        }
    }

    /** Checks a media object wherever it sits: exactly one of id/link, an http(s) link, caption and filename rules. */
    private void checkMedia(MediaObjects.Found found) {
        MediaType media = found.type();
        JsonNode object = found.object();
        String path = found.path();
        if (!object.isObject()) {
            add(path, "is required as an object for " + media.jsonName() + " media, e.g. {\"link\": \"https://...\"}");
            return;
        }
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

    /**
     * The cards of a carousel (template or interactive): an array of 2 to 10 objects, each with a
     * {@code card_index} (a non-negative integer, or its digits as a string) unique among them.
     *
     * @return the cards when they are an array (each card still to be checked), else null
     */
    JsonNode cards(JsonNode cards, String path) {
        if (cards == null || !cards.isArray()) {
            add(path, "is required: an array of " + TemplateRules.MIN_CARDS + " to " + TemplateRules.MAX_CARDS
                    + " cards");
            return null;
        }
        if (cards.size() < TemplateRules.MIN_CARDS || cards.size() > TemplateRules.MAX_CARDS) {
            add(path, "has " + cards.size() + " card" + (cards.size() == 1 ? "" : "s") + "; a carousel has "
                    + TemplateRules.MIN_CARDS + " to " + TemplateRules.MAX_CARDS);
        }
        Set<Long> indexes = new HashSet<>();
        for (int k = 0; k < cards.size(); k++) {
            JsonNode card = cards.get(k);
            String cardPath = path + "[" + k + "]";
            if (!card.isObject()) {
                add(cardPath, "must be an object");
                continue;
            }
            JsonNode index = card.get("card_index");
            Long value = index == null ? null : index.canConvertToLong() && index.isIntegralNumber() ? index.asLong()
                    : index.isTextual() && index.asText().matches("\\d{1,3}") ? Long.valueOf(index.asText()) : null;
            if (value == null || value < 0) {
                add(cardPath + ".card_index", index == null ? "is required: the card's position, from 0"
                        : "must be a non-negative integer, got " + abbreviate(index.toString()));
            } else if (!indexes.add(value)) {
                add(cardPath + ".card_index", "is " + value + ", which an earlier card already has; card indexes "
                        + "are unique");
            }
        }
        return cards;
    }

    boolean requireText(JsonNode object, String field, String path) {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            add(path + "." + field, value == null ? "is required" : "must be a non-empty string");
            return false;
        }
        return true;
    }

    private static String reservedReason(String field) {
        return field.equals("to") || field.equals("recipient")
                ? "the recipient goes in the job's 'to', 'recipient' or 'recipients', not in the message"
                : "is set by the sender for correlation; put your own reference in the job's 'callback_data'";
    }

    static String abbreviate(String value) {
        return value.length() <= 120 ? value : value.substring(0, 117) + "...";
    }

    void add(String path, String reason) {
        problems.add(new Problem(path, reason));
    }
}
