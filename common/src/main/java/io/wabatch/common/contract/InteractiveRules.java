package io.wabatch.common.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Rules of an {@code interactive} message (whatsapp-api-facts §9): a {@code type}; a header, when
 * given, of type text, image, video or document (lists take text headers only); and media
 * carousels: body text, no message header or footer, 2 to 10 cards with unique indexes, each with
 * an image or video header, all of one type (product cards take none), and every card with buttons
 * of one kind and count. The media objects themselves are checked where {@link MediaObjects} finds them.
 */
final class InteractiveRules {

    static final Set<String> HEADER_TYPES = Set.of("text", "image", "video", "document");
    static final Set<String> CARD_HEADER_TYPES = Set.of("image", "video");
    /** Interactive types whose header can only be text. */
    static final Set<String> TEXT_HEADER_ONLY = Set.of("list", "product_list");

    private final MessageRules rules;

    InteractiveRules(MessageRules rules) {
        this.rules = rules;
    }

    void check(JsonNode interactive, String path) {
        if (!rules.requireText(interactive, "type", path)) {
            return;
        }
        String type = interactive.get("type").asText();
        if (type.equals("carousel")) {
            carousel(interactive, path);
            return;
        }
        JsonNode header = interactive.get("header");
        if (header != null) {
            header(header, path + ".header", TEXT_HEADER_ONLY.contains(type) ? Set.of("text") : HEADER_TYPES,
                    "a " + type + " message");
        }
    }

    /** Checks a header; true when its type is one of {@code allowed}. */
    private boolean header(JsonNode header, String path, Set<String> allowed, String where) {
        if (!header.isObject()) {
            rules.add(path, "must be an object, e.g. {\"type\":\"image\",\"image\":{\"link\":\"https://...\"}}");
            return false;
        }
        if (!rules.requireText(header, "type", path)) {
            return false;
        }
        String type = header.get("type").asText();
        if (!allowed.contains(type)) {
            rules.add(path + ".type", "is '" + MessageRules.abbreviate(type) + "'; the header of " + where
                    + " can be " + String.join(", ", allowed.stream().sorted().toList()) + " (lower case)");
            return false;
        }
        if (type.equals("text")) {
            rules.requireText(header, "text", path);
        }
        return true;
    }

    private void carousel(JsonNode interactive, String path) {
        JsonNode body = interactive.get("body");
        if (body == null || !body.isObject()) {
            rules.add(path + ".body", "is required for a carousel: {\"text\": \"...\"} above the cards");
        } else {
            rules.requireText(body, "text", path + ".body");
        }
        for (String field : new String[] {"header", "footer"}) {
            if (interactive.has(field)) {
                rules.add(path + "." + field, "is not allowed on a carousel; each card has its own header");
            }
        }
        JsonNode cards = rules.cards(interactive.path("action").get("cards"), path + ".action.cards");
        if (cards == null) {
            return;
        }
        String firstButtons = null;
        String firstHeader = null;
        for (int k = 0; k < cards.size(); k++) {
            JsonNode card = cards.get(k);
            String cardPath = path + ".action.cards[" + k + "]";
            if ("product".equals(card.path("type").asText())) {
                continue;
            }
            JsonNode header = card.get("header");
            if (header == null) {
                rules.add(cardPath + ".header", "is required: every card of a media carousel has an image or video "
                        + "header");
            } else if (header(header, cardPath + ".header", CARD_HEADER_TYPES, "a carousel card")) {
                String type = header.get("type").asText();
                if (firstHeader == null) {
                    firstHeader = type;
                } else if (!firstHeader.equals(type)) {
                    rules.add(cardPath + ".header.type", "is " + type + " but the first card's header is "
                            + firstHeader + ": all cards of a carousel have headers of one type");
                }
            }
            String buttons = buttons(card.path("action"));
            if (buttons == null) {
                rules.add(cardPath + ".action", "needs one URL button ({\"name\":\"cta_url\",\"parameters\":{...}}) "
                        + "or quick-reply buttons ({\"buttons\":[...]})");
            } else if (firstButtons == null) {
                firstButtons = buttons;
            } else if (!firstButtons.equals(buttons)) {
                rules.add(cardPath + ".action", "has " + buttons + " but the first card has " + firstButtons
                        + ": all cards of a carousel have buttons of one kind and count");
            }
        }
    }

    /** A card's buttons as "1 URL button" or "2 quick-reply buttons", or null when it has none. */
    private static String buttons(JsonNode action) {
        if ("cta_url".equals(action.path("name").asText())) {
            return "1 URL button";
        }
        JsonNode buttons = action.path("buttons");
        if (buttons.isArray() && !buttons.isEmpty()) {
            return buttons.size() + " quick-reply button" + (buttons.size() == 1 ? "" : "s");
        }
        return null;
    }
}
