package io.wabatch.common.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Rules of a {@code template} message (whatsapp-api-facts §9): name and language, components of a
 * documented type, parameters with a type, and media card carousels of 2 to 10 cards, each with an
 * image or video header (product carousels: a product header), all of one type, card indexes
 * unique. The media objects themselves are checked where {@link MediaObjects} finds them.
 * Parameter types are read in any letter case, as the API reads them; component types in the
 * documented lower case.
 */
final class TemplateRules {

    static final Set<String> COMPONENT_TYPES =
            Set.of("header", "body", "footer", "button", "carousel", "limited_time_offer");
    static final Set<String> CARD_HEADER_TYPES = Set.of("image", "video", "product");
    static final int MIN_CARDS = 2;
    static final int MAX_CARDS = 10;

    private final MessageRules rules;

    TemplateRules(MessageRules rules) {
        this.rules = rules;
    }

    void check(JsonNode template, String path) {
        rules.requireText(template, "name", path);
        JsonNode language = template.get("language");
        if (language == null || !language.isObject()) {
            rules.add(path + ".language", "is required, e.g. {\"code\": \"en_US\"}");
        } else {
            rules.requireText(language, "code", path + ".language");
        }
        components(template, path);
    }

    private void components(JsonNode parent, String path) {
        JsonNode components = parent.get("components");
        if (components == null) {
            return;
        }
        if (!components.isArray()) {
            rules.add(path + ".components", "must be an array");
            return;
        }
        for (int i = 0; i < components.size(); i++) {
            component(components.get(i), path + ".components[" + i + "]");
        }
    }

    private void component(JsonNode component, String path) {
        if (!component.isObject()) {
            rules.add(path, "must be an object");
            return;
        }
        if (!rules.requireText(component, "type", path)) {
            return;
        }
        String type = component.get("type").asText();
        if (!COMPONENT_TYPES.contains(type)) {
            rules.add(path + ".type", "is '" + MessageRules.abbreviate(type) + "', not a component type the API "
                    + "documents; component types are lower case: header, body, footer, button, carousel, "
                    + "limited_time_offer");
            return;
        }
        parameters(component, path);
        if (type.equals("carousel")) {
            carousel(component, path);
        }
    }

    private void parameters(JsonNode component, String path) {
        JsonNode parameters = component.get("parameters");
        if (parameters == null) {
            return;
        }
        if (!parameters.isArray()) {
            rules.add(path + ".parameters", "must be an array");
            return;
        }
        for (int i = 0; i < parameters.size(); i++) {
            parameter(parameters.get(i), path + ".parameters[" + i + "]");
        }
    }

    private void parameter(JsonNode parameter, String path) {
        if (!parameter.isObject()) {
            rules.add(path, "must be an object");
            return;
        }
        if (!rules.requireText(parameter, "type", path)) {
            return;
        }
        JsonNode text = parameter.get("text");
        boolean textType = parameter.get("type").asText().toLowerCase(Locale.ROOT).equals("text");
        if (textType && (text == null || !text.isValueNode() || text.isNull())) {
            rules.add(path + ".text", "is required for a parameter of type text (a string; numbers and booleans "
                    + "are read as text)");
        }
    }

    /** 2 to 10 cards, indexes unique, every card with a header, all headers of one type. */
    private void carousel(JsonNode carousel, String path) {
        JsonNode cards = rules.cards(carousel.get("cards"), path + ".cards");
        if (cards == null) {
            return;
        }
        String firstHeader = null;
        for (int k = 0; k < cards.size(); k++) {
            JsonNode card = cards.get(k);
            String cardPath = path + ".cards[" + k + "]";
            components(card, cardPath);
            Optional<String> header = headerType(card);
            if (header.isEmpty()) {
                rules.add(cardPath + ".components", "has no header: every card of a carousel needs a header "
                        + "component with an image or video parameter, e.g. {\"type\":\"header\",\"parameters\":"
                        + "[{\"type\":\"image\",\"image\":{\"link\":\"https://...\"}}]}");
            } else if (firstHeader == null) {
                firstHeader = header.get();
            } else if (!firstHeader.equals(header.get())) {
                rules.add(cardPath + ".components", "has a " + header.get() + " header but the first card has "
                        + "a " + firstHeader + " one: all cards of a carousel have headers of one type");
            }
        }
    }

    /** The (lower-case) type of a card's header parameter, if the card has a media or product header. */
    private static Optional<String> headerType(JsonNode card) {
        for (JsonNode component : card.path("components")) {
            if ("header".equals(component.path("type").asText())) {
                for (JsonNode parameter : component.path("parameters")) {
                    String type = parameter.path("type").asText("").toLowerCase(Locale.ROOT);
                    if (CARD_HEADER_TYPES.contains(type)) {
                        return Optional.of(type);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
