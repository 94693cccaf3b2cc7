package io.wabatch.common.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One message template as the API lists it (Meta's shape, which 360dialog passes through): name,
 * language, status, category, id and what its components take. Parsed leniently: unknown fields,
 * component types and button kinds are ignored (and never held against a job), component and enum
 * values are read in any letter case, ids as numbers or strings, and missing optional objects are
 * simply absent.
 *
 * @param name     the template's name, e.g. {@code spring_sale}
 * @param language its language code, e.g. {@code en_US}
 * @param status   upper case ({@code APPROVED}, {@code PAUSED}, {@code PENDING}, ...); null when the listing had none
 * @param category upper case ({@code MARKETING}, {@code UTILITY}, {@code AUTHENTICATION}); null when absent
 * @param id       Meta's template id; null when absent
 * @param named    true when its placeholders are named ({@code {{first_name}}}, {@code parameter_format: NAMED}),
 *                 false when positional ({@code {{1}}})
 * @param layout   what the header, body and buttons take
 * @param cards    each carousel card's layout, in card order; empty when {@code carousel} is false
 * @param carousel true when the template has a {@code CAROUSEL} component
 * @param limitedTimeOffer true when the template has a {@code LIMITED_TIME_OFFER} component
 * @param raw      the object as listed, stored as the topic's value
 */
public record TemplateDefinition(String name, String language, String status, String category, String id,
                                 boolean named, Layout layout, List<Layout> cards, boolean carousel,
                                 boolean limitedTimeOffer, ObjectNode raw) {

    /** A placeholder as template texts write it: {@code {{1}}} or {@code {{first_name}}}. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    public TemplateDefinition {
        cards = List.copyOf(cards);
    }

    /**
     * What a template, or one carousel card, takes.
     *
     * @param header  the header, or null when there is none
     * @param body    the body's placeholders in order of appearance, each once
     * @param buttons the buttons, in order (their index is their position)
     */
    public record Layout(Header header, List<String> body, List<Button> buttons) {

        public Layout {
            body = List.copyOf(body);
            buttons = List.copyOf(buttons);
        }
    }

    /**
     * A header.
     *
     * @param format       {@code TEXT}, {@code IMAGE}, {@code VIDEO}, {@code DOCUMENT}, {@code LOCATION},
     *                     {@code PRODUCT}, or another upper-case value
     * @param placeholders a text header's placeholders (none or one); empty for other formats
     */
    public record Header(String format, List<String> placeholders) {

        public Header {
            placeholders = List.copyOf(placeholders);
        }

        public boolean text() {
            return "TEXT".equals(format);
        }
    }

    /**
     * A button and the parameters a send gives it (in a {@code button} component with its index).
     *
     * @param index its position among the template's (or card's) buttons
     * @param kind  upper case: {@code QUICK_REPLY}, {@code URL}, {@code PHONE_NUMBER}, {@code COPY_CODE},
     *              {@code OTP}, {@code FLOW}, {@code CATALOG}, {@code MPM}, ...
     * @param min   parameters a send must give it
     * @param max   parameters a send may give it; {@link Integer#MAX_VALUE} for kinds wabatch does not check
     * @param label the button's text, for reasons; may be null
     */
    public record Button(int index, String kind, int min, int max, String label) {

        /** The {@code sub_type} values a send may give this kind of button; empty when not checked. */
        public Set<String> subTypes() {
            return switch (kind) {
                case "URL" -> Set.of("url");
                case "OTP" -> Set.of("url", "copy_code");
                case "QUICK_REPLY" -> Set.of("quick_reply");
                case "COPY_CODE" -> Set.of("copy_code");
                case "FLOW" -> Set.of("flow");
                case "CATALOG" -> Set.of("catalog");
                case "MPM" -> Set.of("mpm");
                default -> Set.of();
            };
        }
    }

    /** Parses one listed template; empty when it has no name or no language. */
    public static Optional<TemplateDefinition> parse(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            return Optional.empty();
        }
        String name = text(object.path("name"));
        JsonNode languageNode = object.path("language");
        String language = text(languageNode.isObject() ? languageNode.path("code") : languageNode);
        if (name == null || language == null) {
            return Optional.empty();
        }
        String category = upper(object.path("category"));
        Parts parts = new Parts("AUTHENTICATION".equals(category));
        for (JsonNode component : object.path("components")) {
            parts.component(component);
        }
        String format = upper(object.path("parameter_format"));
        boolean named = format != null ? format.equals("NAMED") : parts.hasNamedPlaceholder();
        return Optional.of(new TemplateDefinition(name, language, upper(object.path("status")),
                category, text(object.path("id")), named, parts.layout(), parts.cards,
                parts.carousel, parts.limitedTimeOffer, object));
    }

    /** The key of this template in the catalogue topic: {@code <waba_id>/<name>/<language>}. */
    public String key(String wabaId) {
        return TemplateKeys.template(wabaId, name, language);
    }

    /** True when the template may be sent: APPROVED, or no status listed (not held against a job). */
    public boolean approved() {
        return status == null || status.equals("APPROVED");
    }

    /**
     * The campaign category ({@code marketing}, {@code utility}, {@code authentication}) its category
     * means; empty when it has none wabatch knows. The pre-2023 categories map to their successors
     * ({@code OTP} to authentication, {@code TRANSACTIONAL} and the {@code *_UPDATE} family to utility).
     */
    public Optional<String> campaignCategory() {
        if (category == null) {
            return Optional.empty();
        }
        return switch (category) {
            case "MARKETING" -> Optional.of("marketing");
            case "AUTHENTICATION", "OTP" -> Optional.of("authentication");
            case "UTILITY", "TRANSACTIONAL", "ISSUE_RESOLUTION", "AUTO_REPLY" -> Optional.of("utility");
            default -> category.endsWith("_UPDATE") ? Optional.of("utility") : Optional.empty();
        };
    }

    /** {@code spring_sale (en_US)}, as reasons name a template. */
    public String label() {
        return name + " (" + language + ")";
    }

    /** The placeholders of a text, in order of appearance, each once. */
    static List<String> placeholders(String text) {
        if (text == null) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return List.copyOf(names);
    }

    static String text(JsonNode value) {
        if (value == null || !value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
    }

    static String upper(JsonNode value) {
        String text = text(value);
        return text == null ? null : text.toUpperCase(Locale.ROOT);
    }

    /**
     * Collects the components of a template or of one carousel card. An authentication template's body
     * takes the one-time code even when it is listed without text (its creation gives none: Meta writes it).
     */
    private static final class Parts {
        private final boolean authentication;
        private Header header;
        private List<String> body = List.of();
        private final List<Button> buttons = new ArrayList<>();
        private final List<Layout> cards = new ArrayList<>();
        private boolean carousel;
        private boolean limitedTimeOffer;
        private boolean namedPlaceholder;

        Parts(boolean authentication) {
            this.authentication = authentication;
        }

        void component(JsonNode component) {
            String type = upper(component.path("type"));
            if (type == null) {
                return;
            }
            switch (type) {
                case "HEADER" -> {
                    String format = upper(component.path("format"));
                    format = format == null ? "TEXT" : format;
                    header = new Header(format, format.equals("TEXT") ? noted(text(component.path("text")))
                            : List.of());
                }
                case "BODY" -> {
                    String text = text(component.path("text"));
                    body = text == null && authentication ? List.of("1") : noted(text);
                }
                case "BUTTONS" -> {
                    for (JsonNode button : component.path("buttons")) {
                        buttons.add(button(buttons.size(), button));
                    }
                }
                case "CAROUSEL" -> {
                    carousel = true;
                    for (JsonNode card : component.path("cards")) {
                        Parts parts = new Parts(false);
                        card.path("components").forEach(parts::component);
                        namedPlaceholder |= parts.namedPlaceholder;
                        cards.add(parts.layout());
                    }
                }
                case "LIMITED_TIME_OFFER" -> limitedTimeOffer = true;
                default -> { }
            }
        }

        Layout layout() {
            return new Layout(header, body, buttons);
        }

        boolean hasNamedPlaceholder() {
            return namedPlaceholder;
        }

        private List<String> noted(String text) {
            List<String> names = placeholders(text);
            namedPlaceholder |= names.stream().anyMatch(n -> !n.chars().allMatch(Character::isDigit));
            return names;
        }

        private Button button(int index, JsonNode button) {
            String kind = upper(button.path("type"));
            kind = kind == null ? "UNKNOWN" : kind;
            String label = text(button.path("text"));
            return switch (kind) {
                case "URL" -> {
                    int n = placeholders(text(button.path("url"))).isEmpty() ? 0 : 1;
                    yield new Button(index, kind, n, n, label);
                }
                case "COPY_CODE", "OTP", "MPM" -> new Button(index, kind, 1, 1, label);
                case "QUICK_REPLY", "FLOW", "CATALOG" -> new Button(index, kind, 0, 1, label);
                case "PHONE_NUMBER" -> new Button(index, kind, 0, 0, label);
                default -> new Button(index, kind, 0, Integer.MAX_VALUE, label);
            };
        }
    }
}
