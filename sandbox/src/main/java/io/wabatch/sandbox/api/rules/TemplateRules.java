package io.wabatch.sandbox.api.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Rules of a {@code template} object: {@code name} and {@code language.code} required; components of
 * type header, body, footer, button (exactly, lower case), plus carousel and limited_time_offer which
 * Meta documents for marketing templates; a button needs {@code sub_type} and {@code index}; a
 * carousel follows {@link TemplateCarouselRules}.
 * These are the rules of any template send; an account with a template catalogue has its sends checked against
 * it as well ({@code templates.CatalogueRules}: 132000, 132001, 132012, 132015, 132016, 131062).
 */
final class TemplateRules {

    /** Exact, lower case: the documented rule; no recorded request shows Graph accepting another case. */
    private static final List<String> COMPONENT_TYPES =
            List.of("header", "body", "footer", "button", "carousel", "limited_time_offer");

    private TemplateRules() {
    }

    static void check(JsonNode template, String path, MediaContext media) {
        Fields.requiredText(template, "name", path);
        JsonNode language = Fields.requiredObject(template, "language", path);
        Fields.requiredText(language, "code", path + ".language");
        checkComponents(template, path, media);
    }

    /** {@code parent.components}, when present: an array of valid components. */
    static void checkComponents(JsonNode parent, String path, MediaContext media) {
        JsonNode components = parent.get("components");
        if (components == null || components.isNull()) {
            return;
        }
        String where = Fields.at(path, "components");
        if (!components.isArray()) {
            throw new ApiException(ApiError.invalid("Parameter '" + where + "' must be an array."));
        }
        for (int i = 0; i < components.size(); i++) {
            checkComponent(components.get(i), where + "[" + i + "]", media);
        }
    }

    private static void checkComponent(JsonNode component, String path, MediaContext media) {
        if (!component.isObject()) {
            throw new ApiException(ApiError.invalid("Parameter '" + path + "' must be a JSON object."));
        }
        String type = Fields.requiredText(component, "type", path);
        if (!COMPONENT_TYPES.contains(type)) {
            throw new ApiException(ApiError.invalid("Parameter '" + path + ".type': component type '" + type
                    + "' is not one the API documents; component types are lower case: "
                    + String.join(", ", COMPONENT_TYPES) + "."));
        }
        if (type.equals("button")) {
            Fields.requiredText(component, "sub_type", path);
            Fields.index(component, "index", path);
        } else if (type.equals("carousel")) {
            TemplateCarouselRules.check(component, path, media);
        }
        checkParameters(component, path, media);
    }

    private static void checkParameters(JsonNode component, String path, MediaContext media) {
        JsonNode parameters = component.get("parameters");
        if (parameters == null || parameters.isNull()) {
            return;
        }
        if (!parameters.isArray()) {
            throw new ApiException(ApiError.invalid("Parameter '" + path + ".parameters' must be an array."));
        }
        for (int i = 0; i < parameters.size(); i++) {
            ParameterRules.check(parameters.get(i), path + ".parameters[" + i + "]", media);
        }
    }
}
