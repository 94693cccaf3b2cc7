package io.wabatch.sandbox.api.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Rules of one template parameter: a known {@code type} and the field named by it. Media parameters
 * follow {@link MediaRules} (id xor link, known media ID of a fitting MIME).
 *
 * <p>The {@code type} is matched in any case ({@code TEXT}, {@code Image}): a request recorded
 * against Graph (Oct 2024, {@code whatsapp-api-facts.md} §9) shows {@code "type": "TEXT"} accepted.
 * The value is still read under the lower-case name ({@code {"type":"IMAGE","image":{...}}}). That
 * evidence covers parameter types only; no other field gets this leniency.
 */
final class ParameterRules {

    private static final String TYPES = "text, currency, date_time, image, document, video, location,"
            + " payload, action, coupon_code, limited_time_offer, product";

    private ParameterRules() {
    }

    static void check(JsonNode parameter, String path, MediaContext media) {
        if (!parameter.isObject()) {
            throw new ApiException(ApiError.invalid("Parameter '" + path + "' must be a JSON object."));
        }
        String sent = Fields.requiredText(parameter, "type", path);
        String type = sent.toLowerCase(Locale.ROOT);
        switch (type) {
            case "text", "payload", "coupon_code" -> Fields.requiredText(parameter, type, path);
            case "currency" -> requireAll(parameter, type, path, "fallback_value", "code", "amount_1000");
            case "date_time" -> requireAll(parameter, type, path, "fallback_value");
            case "location" -> requireAll(parameter, type, path, "latitude", "longitude");
            case "image", "document", "video" -> MediaRules.check(MediaKind.forMessageType(type).orElseThrow(),
                    Fields.required(parameter, type, path), Fields.at(path, type), media);
            case "action", "limited_time_offer", "product" -> Fields.requiredObject(parameter, type, path);
            default -> throw new ApiException(ApiError.invalid("Parameter '" + path + ".type' is '" + sent
                    + "'; expected one of " + TYPES + " (in any case)."));
        }
    }

    private static void requireAll(JsonNode parameter, String type, String path, String... fields) {
        JsonNode object = Fields.requiredObject(parameter, type, path);
        for (String field : fields) {
            Fields.required(object, field, Fields.at(path, type));
        }
    }
}
