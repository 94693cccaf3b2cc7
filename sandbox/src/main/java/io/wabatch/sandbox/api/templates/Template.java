package io.wabatch.sandbox.api.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One approved-or-not message template of a WhatsApp Business Account, in the shape of Meta's {@code GET
 * /{waba-id}/message_templates}: {@code name}, {@code language}, {@code status}, {@code category}, {@code id} and
 * {@code components} (HEADER with a {@code format}, BODY {@code text} with {@code {{1}}} or {@code {{name}}}
 * placeholders, FOOTER, BUTTONS, CAROUSEL with {@code cards[].components}). Immutable; what the sandbox checks a
 * send against is read once, when the template is built.
 */
public final class Template {

    /** The statuses Meta reports; only {@code APPROVED} templates can be sent. */
    public static final List<String> STATUSES = List.of("APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED",
            "IN_APPEAL", "PENDING_DELETION", "DELETED", "ARCHIVED", "LIMIT_EXCEEDED");
    /** The template categories. */
    public static final List<String> CATEGORIES = List.of("MARKETING", "UTILITY", "AUTHENTICATION");
    /** Header formats: the first is text, the others a media or location parameter of that type. */
    public static final List<String> HEADER_FORMATS = List.of("TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION",
            "PRODUCT");
    /** One-time-password button kinds, none of which a BSUID recipient can receive (131062). */
    public static final List<String> OTP_TYPES = List.of("ONE_TAP", "ZERO_TAP", "COPY_CODE");

    private static final List<String> COMPONENT_TYPES = List.of("HEADER", "BODY", "FOOTER", "BUTTONS", "CAROUSEL",
            "LIMITED_TIME_OFFER");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    /** What a send is checked against in one carousel card: its header format and its body's placeholders. */
    record Card(String headerFormat, List<String> bodyPlaceholders) {
    }

    private final ObjectNode json;
    private final String name;
    private final String language;
    private final String status;
    private final String category;
    private final String id;
    private final String headerFormat;
    private final List<String> headerPlaceholders;
    private final List<String> bodyPlaceholders;
    private final List<Card> cards;
    private final boolean otpButton;

    private Template(ObjectNode json, String where) {
        this.json = json;
        name = text(json, "name", where, true);
        language = text(json, "language", where, true);
        status = oneOf(text(json, "status", where, false), "APPROVED", STATUSES, where + ".status");
        category = oneOf(text(json, "category", where, true), null, CATEGORIES, where + ".category");
        String givenId = text(json, "id", where, false);
        id = givenId != null ? givenId : generatedId(name, language);
        json.put("name", name).put("language", language).put("status", status).put("category", category)
                .put("id", id);
        JsonNode components = json.get("components");
        if (components == null || components.isNull()) {
            components = json.putArray("components");
        }
        Parsed parsed = parse(components, where + ".components", true);
        headerFormat = parsed.headerFormat;
        headerPlaceholders = parsed.headerPlaceholders;
        bodyPlaceholders = parsed.bodyPlaceholders;
        cards = parsed.cards;
        otpButton = parsed.otpButton;
    }

    /**
     * A template from its JSON (Meta's shape; {@code status} defaults to APPROVED, {@code id} to a number derived
     * from name and language; unknown fields are kept and served back).
     *
     * @throws IllegalArgumentException naming the field when the JSON is not a template
     */
    public static Template fromJson(JsonNode node) {
        return fromJson(node, "template");
    }

    static Template fromJson(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("'" + where + "' must be a JSON object (a template), got " + node);
        }
        return new Template(((ObjectNode) node).deepCopy(), where);
    }

    public String name() {
        return name;
    }

    public String language() {
        return language;
    }

    /** APPROVED, PAUSED, DISABLED, ... (see {@link #STATUSES}). */
    public String status() {
        return status;
    }

    /** MARKETING, UTILITY or AUTHENTICATION. */
    public String category() {
        return category;
    }

    public String id() {
        return id;
    }

    /** This template in another category (MARKETING, UTILITY or AUTHENTICATION; Meta recategorised it). */
    public Template withCategory(String newCategory) {
        ObjectNode copy = json.deepCopy();
        copy.put("category", newCategory);
        return new Template(copy, "template " + name + "/" + language);
    }

    /** This template with another status (a template paused or disabled by Meta, or approved again). */
    public Template withStatus(String newStatus) {
        ObjectNode copy = json.deepCopy();
        copy.put("status", newStatus);
        return new Template(copy, "template " + name + "/" + language);
    }

    /** The template as Meta's listing serves it (a copy). */
    public ObjectNode toJson() {
        return json.deepCopy();
    }

    /** The header's format (TEXT, IMAGE, ...), or null without a header. */
    String headerFormat() {
        return headerFormat;
    }

    /** The distinct placeholders of a TEXT header, in order of appearance. */
    List<String> headerPlaceholders() {
        return headerPlaceholders;
    }

    /** The distinct placeholders of the body, in order of appearance. */
    List<String> bodyPlaceholders() {
        return bodyPlaceholders;
    }

    /** The carousel's cards, or null without a carousel. */
    List<Card> cards() {
        return cards;
    }

    /** Whether an authentication template has a one-tap, zero-tap or copy-code button. */
    boolean bsuidUnsupported() {
        return otpButton && category.equals("AUTHENTICATION");
    }

    private static final class Parsed {
        private String headerFormat;
        private List<String> headerPlaceholders = List.of();
        private List<String> bodyPlaceholders = List.of();
        private List<Card> cards;
        private boolean otpButton;
    }

    private static Parsed parse(JsonNode components, String where, boolean top) {
        if (!components.isArray()) {
            throw new IllegalArgumentException("'" + where + "' must be an array of components");
        }
        Parsed parsed = new Parsed();
        for (int i = 0; i < components.size(); i++) {
            String at = where + "[" + i + "]";
            JsonNode component = components.get(i);
            if (!component.isObject()) {
                throw new IllegalArgumentException("'" + at + "' must be a JSON object (a component)");
            }
            String type = oneOf(text(component, "type", at, true).toUpperCase(Locale.ROOT), null, COMPONENT_TYPES,
                    at + ".type");
            switch (type) {
                case "HEADER" -> {
                    parsed.headerFormat = oneOf(text(component, "format", at, false), "TEXT", HEADER_FORMATS,
                            at + ".format");
                    if (parsed.headerFormat.equals("TEXT")) {
                        parsed.headerPlaceholders = placeholders(component.path("text").asText(""));
                    }
                }
                case "BODY" -> parsed.bodyPlaceholders = placeholders(component.path("text").asText(""));
                case "BUTTONS" -> parsed.otpButton |= otpButtons(component.get("buttons"), at + ".buttons");
                case "CAROUSEL" -> {
                    if (!top) {
                        throw new IllegalArgumentException("'" + at + "': a carousel card cannot hold a carousel");
                    }
                    parsed.cards = cards(component.get("cards"), at + ".cards");
                }
                default -> {
                    // FOOTER and LIMITED_TIME_OFFER take no send-time parameters the sandbox checks.
                }
            }
        }
        return parsed;
    }

    private static boolean otpButtons(JsonNode buttons, String where) {
        if (buttons == null || !buttons.isArray()) {
            throw new IllegalArgumentException("'" + where + "' must be an array of buttons");
        }
        boolean otp = false;
        for (int i = 0; i < buttons.size(); i++) {
            String at = where + "[" + i + "]";
            String type = text(buttons.get(i), "type", at, true).toUpperCase(Locale.ROOT);
            if (type.equals("OTP")) {
                oneOf(text(buttons.get(i), "otp_type", at, true).toUpperCase(Locale.ROOT), null, OTP_TYPES,
                        at + ".otp_type");
                otp = true;
            }
            otp |= type.equals("COPY_CODE");
        }
        return otp;
    }

    private static List<Card> cards(JsonNode cards, String where) {
        if (cards == null || !cards.isArray() || cards.isEmpty()) {
            throw new IllegalArgumentException("'" + where + "' must be a non-empty array of cards");
        }
        List<Card> list = new ArrayList<>();
        for (int i = 0; i < cards.size(); i++) {
            String at = where + "[" + i + "]";
            if (!cards.get(i).isObject()) {
                throw new IllegalArgumentException("'" + at + "' must be a JSON object (a card)");
            }
            Parsed card = parse(cards.get(i).path("components"), at + ".components", false);
            list.add(new Card(card.headerFormat, card.bodyPlaceholders));
        }
        return List.copyOf(list);
    }

    /** The distinct placeholders of {@code text} ({@code {{1}}}, {@code {{first_name}}}), in order. */
    static List<String> placeholders(String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return List.copyOf(found);
    }

    private static String text(JsonNode node, String field, String where, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException("'" + where + "." + field + "' is required");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("'" + where + "." + field + "' must be a non-empty string, got "
                    + value);
        }
        return value.asText();
    }

    private static String oneOf(String value, String defaultValue, List<String> allowed, String where) {
        String chosen = value == null ? defaultValue : value;
        if (!allowed.contains(chosen)) {
            throw new IllegalArgumentException("'" + where + "' must be one of " + allowed + ", got '" + chosen + "'");
        }
        return chosen;
    }

    /** A 15-digit id from name and language, stable across runs, shaped like Meta's template ids. */
    private static String generatedId(String name, String language) {
        long hash = 1125899906842597L;
        for (byte b : (name + "/" + language).getBytes(StandardCharsets.UTF_8)) {
            hash = 31 * hash + b;
        }
        return Long.toString(100_000_000_000_000L + Math.floorMod(hash, 900_000_000_000_000L));
    }

    @Override
    public String toString() {
        return "Template[" + name + "/" + language + ", " + status + ", " + category + ", id " + id + "]";
    }

    /** Templates are equal when their JSON is. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Template t && t.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }
}
