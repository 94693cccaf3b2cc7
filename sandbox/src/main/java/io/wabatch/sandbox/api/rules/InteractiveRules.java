package io.wabatch.sandbox.api.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * Rules of an {@code interactive} object: {@code type} required; a {@code header}, when present, is an
 * object whose {@code type} is exactly text, image, video or document (lower case, as documented),
 * holding {@code text} or a media object under the type's name; lists and product lists take a text
 * header only ({@code whatsapp-api-facts.md} §9). A media carousel follows
 * {@link InteractiveCarouselRules}.
 */
final class InteractiveRules {

    /** Header types, exact: the documented rule; no recorded request shows Graph accepting another case. */
    static final List<String> HEADER_TYPES = List.of("text", "image", "video", "document");

    private static final Set<String> TEXT_HEADER_ONLY = Set.of("list", "product_list");

    private InteractiveRules() {
    }

    static void check(JsonNode interactive, MediaContext media) {
        String type = Fields.requiredText(interactive, "type", "interactive");
        if (type.equals("carousel")) {
            InteractiveCarouselRules.check(interactive, media);
            return;
        }
        JsonNode header = interactive.get("header");
        if (header == null || header.isNull()) {
            return;
        }
        String headerType = headerType(header, "interactive.header", HEADER_TYPES);
        if (TEXT_HEADER_ONLY.contains(type) && !headerType.equals("text")) {
            throw new ApiException(ApiError.invalid("Parameter 'interactive.header.type' is '" + headerType
                    + "'; a " + type + " message takes a text header only."));
        }
        headerContent(header, "interactive.header", headerType, media);
    }

    /** The {@code type} of the header object at {@code path}, which must be exactly one of {@code allowed}. */
    static String headerType(JsonNode header, String path, List<String> allowed) {
        if (!header.isObject()) {
            throw new ApiException(ApiError.invalid("Parameter '" + path + "' must be a JSON object."));
        }
        String type = Fields.requiredText(header, "type", path);
        if (!allowed.contains(type)) {
            throw new ApiException(ApiError.invalid("Parameter '" + path + ".type' is '" + type
                    + "'; expected one of " + String.join(", ", allowed) + " (lower case)."));
        }
        return type;
    }

    /** A text header's {@code text}, or a media header's object under its type's name (media rules). */
    static void headerContent(JsonNode header, String path, String type, MediaContext media) {
        if (type.equals("text")) {
            Fields.requiredText(header, "text", path);
            return;
        }
        MediaKind kind = MediaKind.forMessageType(type).orElseThrow();
        MediaRules.check(kind, Fields.required(header, type, path), Fields.at(path, type), media);
    }
}
