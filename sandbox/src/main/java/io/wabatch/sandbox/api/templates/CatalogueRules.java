package io.wabatch.sandbox.api.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.wabatch.sandbox.api.rules.ApiError;
import io.wabatch.sandbox.api.rules.ApiException;
import java.util.List;
import java.util.Locale;

/**
 * A template send checked against the account's catalogue (the body is valid by the message rules already):
 * the template exists in that language (else 132001), is APPROVED (PAUSED 132015, DISABLED 132016, any other
 * status 132001), may go through the Marketing Messages API (MARKETING only, else 131055), may go to a BSUID
 * (not an authentication template with a one-tap, zero-tap or copy-code button: 131062), and its parameters
 * match: as many header and body parameters as the template has placeholders (132000), a media header parameter
 * of the header's format and as many carousel cards of the cards' header formats as the template has (132012).
 * Buttons' parameters are not checked.
 */
public final class CatalogueRules {

    private CatalogueRules() {
    }

    /**
     * Checks one send.
     *
     * @param catalogue      the sending number's account's catalogue
     * @param template       the message's {@code template} object
     * @param bsuidRecipient whether the message names its recipient by {@code recipient} only (a BSUID)
     * @param marketingApi   whether it came through {@code /marketing_messages}
     * @return the template sent
     * @throws ApiException with the first broken rule's code
     */
    public static Template check(TemplateCatalogue catalogue, JsonNode template, boolean bsuidRecipient,
            boolean marketingApi) {
        String name = template.path("name").asText();
        String language = template.path("language").path("code").asText();
        Template found = catalogue.find(name, language).orElseThrow(() -> new ApiException(
                ApiError.templateNotFound("template name (" + name + ") does not exist in " + language)));
        checkStatus(found);
        if (marketingApi && !found.category().equals("MARKETING")) {
            throw new ApiException(ApiError.marketingTemplatesOnly("Only marketing template messages are supported"
                    + " (template " + name + " is " + found.category() + ")."));
        }
        if (bsuidRecipient && found.bsuidUnsupported()) {
            throw new ApiException(ApiError.userIdNotSupported("Template " + name + " is an authentication template"
                    + " with a one-tap, zero-tap or copy-code button, which needs the recipient's phone number: send"
                    + " it with 'to'."));
        }
        JsonNode components = template.path("components");
        checkHeader(found.headerFormat(), found.headerPlaceholders(), component(components, "header"), "header");
        checkCount(found.bodyPlaceholders(), component(components, "body"), "body");
        checkCarousel(found.cards(), component(components, "carousel"));
        return found;
    }

    private static void checkStatus(Template template) {
        switch (template.status()) {
            case "APPROVED" -> {
            }
            case "PAUSED" -> throw new ApiException(ApiError.templatePaused("Template " + template.name() + " ("
                    + template.language() + ") is paused for low quality; it cannot be sent until it recovers."));
            case "DISABLED" -> throw new ApiException(ApiError.templateDisabled("Template " + template.name() + " ("
                    + template.language() + ") is disabled."));
            default -> throw new ApiException(ApiError.templateNotFound("template name (" + template.name()
                    + ") does not exist in " + template.language() + " as an approved template (status "
                    + template.status() + ")"));
        }
    }

    /** The first component of this type (lower case, as the message rules require), or a missing node. */
    private static JsonNode component(JsonNode components, String type) {
        for (JsonNode component : components) {
            if (component.path("type").asText().equals(type)) {
                return component;
            }
        }
        return MissingNode.getInstance();
    }

    private static void checkHeader(String format, List<String> placeholders, JsonNode header, String where) {
        JsonNode parameters = header.path("parameters");
        if (format == null || format.equals("TEXT")) {
            checkCount(format == null ? List.of() : placeholders, header, where);
            return;
        }
        if (parameters.isEmpty()) {
            throw new ApiException(ApiError.templateFormat(where + ": Format mismatch, expected " + format
                    + ", received UNKNOWN"));
        }
        if (parameters.size() != 1) {
            throw new ApiException(ApiError.templateParameterCount(where + ": number of parameters ("
                    + parameters.size() + ") does not match the expected number of params (1)"));
        }
        String sent = parameters.get(0).path("type").asText().toUpperCase(Locale.ROOT);
        if (!sent.equals(format)) {
            throw new ApiException(ApiError.templateFormat(where + ": Format mismatch, expected " + format
                    + ", received " + sent));
        }
    }

    /** As many parameters as placeholders; with named placeholders, each parameter names one of them. */
    private static void checkCount(List<String> placeholders, JsonNode component, String where) {
        JsonNode parameters = component.path("parameters");
        if (parameters.size() != placeholders.size()) {
            throw new ApiException(ApiError.templateParameterCount(where + ": number of localizable_params ("
                    + parameters.size() + ") does not match the expected number of params (" + placeholders.size()
                    + ")"));
        }
        boolean named = placeholders.stream().anyMatch(p -> !p.chars().allMatch(Character::isDigit));
        if (!named) {
            return;
        }
        for (JsonNode parameter : parameters) {
            String name = parameter.path("parameter_name").asText(null);
            if (name == null || !placeholders.contains(name)) {
                throw new ApiException(ApiError.templateParameterCount(where + ": parameter_name '" + name
                        + "' is not one of the template's named parameters " + placeholders));
            }
        }
    }

    private static void checkCarousel(List<Template.Card> cards, JsonNode carousel) {
        JsonNode sent = carousel.path("cards");
        int expected = cards == null ? 0 : cards.size();
        if (sent.size() != expected) {
            throw new ApiException(ApiError.templateFormat("carousel: number of cards (" + sent.size()
                    + ") does not match the template's (" + expected + ")"));
        }
        for (int i = 0; i < sent.size(); i++) {
            JsonNode card = sent.get(i);
            long index = card.path("card_index").asLong();
            if (index >= expected) {
                throw new ApiException(ApiError.templateFormat("carousel: card_index " + index + " but the template"
                        + " has " + expected + " cards"));
            }
            Template.Card template = cards.get((int) index);
            String where = "carousel.cards[" + index + "]";
            JsonNode components = card.path("components");
            checkHeader(template.headerFormat(), List.of(), component(components, "header"), where + ".header");
            checkCount(template.bodyPlaceholders(), component(components, "body"), where + ".body");
        }
    }
}
