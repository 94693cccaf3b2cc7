package io.wabatch.common.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a job's {@code template} object gives, component by component, as {@link TemplateChecker}
 * compares it: component and sub-type names in any letter case, button and card indexes as numbers
 * or digit strings.
 *
 * @param layout           the template's header, body and buttons
 * @param carousel         the carousel's cards in the job's order; null when it has no carousel component
 * @param limitedTimeOffer true when it has a {@code limited_time_offer} component
 */
record JobTemplate(Layout layout, List<Card> carousel, boolean limitedTimeOffer) {

    /**
     * @param header  the header component's parameters; null when there is no header component
     * @param body    the body component's parameters; empty without one
     * @param buttons button components by index
     */
    record Layout(List<JsonNode> header, List<JsonNode> body, SortedMap<Integer, Button> buttons) {
    }

    record Button(int index, String subType, List<JsonNode> parameters) {
    }

    /** @param cardIndex its {@code card_index}, or -1 when absent or not a non-negative integer */
    record Card(int cardIndex, Layout layout) {
    }

    static JobTemplate of(JsonNode template) {
        Parts parts = new Parts();
        List<Card> cards = null;
        boolean offer = false;
        for (JsonNode component : template.path("components")) {
            String type = lower(component.path("type"));
            if ("carousel".equals(type)) {
                cards = new ArrayList<>();
                for (JsonNode card : component.path("cards")) {
                    Parts cardParts = new Parts();
                    card.path("components").forEach(cardParts::add);
                    cards.add(new Card(index(card.path("card_index")), cardParts.layout()));
                }
            } else if ("limited_time_offer".equals(type)) {
                offer = true;
            } else {
                parts.add(component);
            }
        }
        return new JobTemplate(parts.layout(), cards, offer);
    }

    /**
     * The cards in the approved order: by {@code card_index} when every card has a distinct one below
     * {@code approved}, else as given; null when the job gives a different number of cards.
     */
    List<Layout> orderedCards(int approved) {
        if (carousel.size() != approved) {
            return null;
        }
        Set<Integer> seen = new HashSet<>();
        boolean indexed = carousel.stream().allMatch(c -> c.cardIndex() >= 0 && c.cardIndex() < approved
                && seen.add(c.cardIndex()));
        Layout[] ordered = new Layout[approved];
        for (int k = 0; k < approved; k++) {
            Card card = carousel.get(k);
            ordered[indexed ? card.cardIndex() : k] = card.layout();
        }
        return List.of(ordered);
    }

    static String lower(JsonNode value) {
        String text = TemplateDefinition.text(value);
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    /** A non-negative integer given as a number or its digits, or -1. */
    static int index(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToInt() && value.intValue() >= 0) {
            return value.intValue();
        }
        String text = TemplateDefinition.text(value);
        if (text != null && text.length() <= 9 && text.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(text);
        }
        return -1;
    }

    private static List<JsonNode> parameters(JsonNode component) {
        List<JsonNode> parameters = new ArrayList<>();
        component.path("parameters").forEach(parameters::add);
        return parameters;
    }

    /** The header, body and button components of a template or of one card. */
    private static final class Parts {
        private List<JsonNode> header;
        private List<JsonNode> body = List.of();
        private final SortedMap<Integer, Button> buttons = new TreeMap<>();

        void add(JsonNode component) {
            String type = lower(component.path("type"));
            if (type == null) {
                return;
            }
            switch (type) {
                case "header" -> header = parameters(component);
                case "body" -> body = parameters(component);
                case "button" -> {
                    int index = index(component.path("index"));
                    if (index >= 0) {
                        buttons.put(index, new Button(index, lower(component.path("sub_type")), parameters(component)));
                    }
                }
                default -> { }
            }
        }

        Layout layout() {
            return new Layout(header, body, buttons);
        }
    }
}
