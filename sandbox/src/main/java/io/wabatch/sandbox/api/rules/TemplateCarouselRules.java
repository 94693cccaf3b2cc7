package io.wabatch.sandbox.api.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Rules of a template {@code carousel} component (media card carousel): the card rules of
 * {@link CarouselCards} (2 to 10, unique {@code card_index}, one header media type), each card's
 * {@code components} checked as a template's, and every card a {@code header} component whose
 * parameters are image or video media (a product card carousel: product parameters). The card count must also
 * equal the approved template's (132012), checked when the account has a template catalogue
 * ({@code templates.CatalogueRules}).
 */
final class TemplateCarouselRules {

    private TemplateCarouselRules() {
    }

    static void check(JsonNode carousel, String path, MediaContext media) {
        JsonNode cards = CarouselCards.cards(carousel, path);
        CarouselCards carouselCards = new CarouselCards();
        for (int i = 0; i < cards.size(); i++) {
            String cardPath = path + ".cards[" + i + "]";
            JsonNode card = carouselCards.card(cards, i, cardPath);
            TemplateRules.checkComponents(card, cardPath, media);
            checkHeader(card, cardPath, carouselCards);
        }
    }

    /** The card's components are valid already; at least one must be a header of image or video media. */
    private static void checkHeader(JsonNode card, String cardPath, CarouselCards carouselCards) {
        JsonNode components = card.path("components");
        boolean found = false;
        for (int j = 0; j < components.size(); j++) {
            if (components.get(j).path("type").asText().equals("header")) {
                checkHeaderMedia(components.get(j), cardPath + ".components[" + j + "]", carouselCards);
                found = true;
            }
        }
        if (!found) {
            throw new ApiException(ApiError.missing("Card '" + cardPath + "' has no header component; every"
                    + " carousel card needs a header with an image or video parameter."));
        }
    }

    private static void checkHeaderMedia(JsonNode header, String path, CarouselCards carouselCards) {
        JsonNode parameters = header.path("parameters");
        if (parameters.isEmpty()) {
            throw new ApiException(ApiError.missing("Parameter '" + path + ".parameters' is required: a carousel"
                    + " card's header holds an image or video parameter."));
        }
        for (int k = 0; k < parameters.size(); k++) {
            String where = path + ".parameters[" + k + "]";
            String sent = parameters.get(k).path("type").asText();
            String type = sent.toLowerCase(Locale.ROOT);
            if (!type.equals("image") && !type.equals("video") && !type.equals("product")) {
                throw new ApiException(ApiError.invalid("Parameter '" + where + ".type' is '" + sent
                        + "'; a carousel card's header takes an image or video parameter (product carousels: a"
                        + " product parameter)."));
            }
            carouselCards.headerMedia(type, where);
        }
    }
}
