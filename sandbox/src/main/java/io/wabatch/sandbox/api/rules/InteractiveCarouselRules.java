package io.wabatch.sandbox.api.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Rules of an interactive media carousel ({@code interactive.type} {@code carousel}) as Meta documents
 * it: {@code body.text} required; no message {@code header} or {@code footer}; {@code action.cards}
 * by {@link CarouselCards} (2 to 10, unique {@code card_index}, one header media type); each card a
 * header of type image or video (exact) and an {@code action} of either one URL button
 * ({@code name: cta_url} with {@code parameters}) or a non-empty {@code buttons} array of quick
 * replies; all cards the same kind and number of buttons. Product cards ({@code "type": "product"},
 * Meta's product carousels) carry a product in their {@code action} and no header.
 */
final class InteractiveCarouselRules {

    private static final List<String> CARD_HEADER_TYPES = List.of("image", "video");

    private InteractiveCarouselRules() {
    }

    /** A card's buttons: {@code cta_url} (always one) or {@code quick_reply} (one or more). */
    private record Buttons(String kind, int count) {
        @Override
        public String toString() {
            return count + " " + kind + " button" + (count == 1 ? "" : "s");
        }
    }

    static void check(JsonNode interactive, MediaContext media) {
        for (String field : List.of("header", "footer")) {
            if (present(interactive, field)) {
                throw new ApiException(ApiError.invalid("Parameter 'interactive." + field + "' is not allowed on a"
                        + " carousel: the message has body text only, the media headers sit on the cards."));
            }
        }
        Fields.requiredText(Fields.requiredObject(interactive, "body", "interactive"), "text", "interactive.body");
        JsonNode cards = CarouselCards.cards(Fields.requiredObject(interactive, "action", "interactive"),
                "interactive.action");
        CarouselCards carouselCards = new CarouselCards();
        Buttons first = null;
        for (int i = 0; i < cards.size(); i++) {
            String cardPath = "interactive.action.cards[" + i + "]";
            JsonNode card = carouselCards.card(cards, i, cardPath);
            if ("product".equals(card.path("type").asText())) {
                Fields.requiredObject(card, "action", cardPath);
                continue;
            }
            checkHeader(card, cardPath, carouselCards, media);
            Buttons buttons = buttons(card, cardPath);
            if (first == null) {
                first = buttons;
            } else if (!first.equals(buttons)) {
                throw new ApiException(ApiError.invalid("Parameter '" + cardPath + ".action' has " + buttons
                        + " but 'interactive.action.cards[0].action' has " + first + ": all cards must have the"
                        + " same kind and number of buttons."));
            }
        }
    }

    private static void checkHeader(JsonNode card, String cardPath, CarouselCards carouselCards, MediaContext media) {
        String path = cardPath + ".header";
        JsonNode header = Fields.required(card, "header", cardPath);
        String type = InteractiveRules.headerType(header, path, CARD_HEADER_TYPES);
        InteractiveRules.headerContent(header, path, type, media);
        carouselCards.headerMedia(type, path);
    }

    private static Buttons buttons(JsonNode card, String cardPath) {
        JsonNode action = Fields.requiredObject(card, "action", cardPath);
        String path = cardPath + ".action";
        boolean hasName = present(action, "name");
        boolean hasButtons = present(action, "buttons");
        if (hasName && hasButtons) {
            throw new ApiException(ApiError.invalid("Parameter '" + path + "' has both 'name' and 'buttons'; a"
                    + " card has one URL button (name 'cta_url') or quick-reply buttons, not both."));
        }
        if (hasName) {
            String name = Fields.text(action.get("name"), path + ".name");
            if (!name.equals("cta_url")) {
                throw new ApiException(ApiError.invalid("Parameter '" + path + ".name' is '" + name
                        + "'; a carousel card's action is 'cta_url' (with parameters) or a 'buttons' array."));
            }
            Fields.requiredObject(action, "parameters", path);
            return new Buttons("cta_url", 1);
        }
        if (!hasButtons) {
            throw new ApiException(ApiError.missing("Parameter '" + path + "' needs 'name': 'cta_url' with"
                    + " 'parameters', or a 'buttons' array of quick replies."));
        }
        return new Buttons("quick_reply", quickReplies(action.get("buttons"), path + ".buttons"));
    }

    private static int quickReplies(JsonNode buttons, String path) {
        if (!buttons.isArray() || buttons.isEmpty()) {
            throw new ApiException(ApiError.invalid("Parameter '" + path + "' must be a non-empty array of"
                    + " quick-reply buttons."));
        }
        for (int i = 0; i < buttons.size(); i++) {
            String where = path + "[" + i + "]";
            if (!buttons.get(i).isObject()) {
                throw new ApiException(ApiError.invalid("Parameter '" + where + "' must be a JSON object."));
            }
            String type = Fields.requiredText(buttons.get(i), "type", where);
            if (!type.equals("quick_reply")) {
                throw new ApiException(ApiError.invalid("Parameter '" + where + ".type' is '" + type
                        + "'; carousel card buttons are 'quick_reply' (a URL button is the card's 'cta_url')."));
            }
            Fields.requiredObject(buttons.get(i), "quick_reply", where);
        }
        return buttons.size();
    }

    private static boolean present(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value != null && !value.isNull();
    }
}
