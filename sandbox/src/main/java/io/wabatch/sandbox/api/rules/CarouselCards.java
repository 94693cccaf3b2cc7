package io.wabatch.sandbox.api.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * What both carousels share, the template {@code carousel} component and the interactive media
 * carousel ({@code whatsapp-api-facts.md} §9): 2 to 10 cards, each an object whose
 * {@code card_index} is a non-negative integer unique among the cards, and every card's header
 * media of one type (image or video). One instance per carousel, fed card by card.
 */
final class CarouselCards {

    static final int MIN_CARDS = 2;
    static final int MAX_CARDS = 10;

    private final Set<Long> indexes = new HashSet<>();
    private String mediaType;
    private String mediaTypeAt;

    /** {@code parent.cards}: an array of 2 to 10 cards (131008 when missing, 131009 otherwise). */
    static JsonNode cards(JsonNode parent, String path) {
        JsonNode cards = Fields.required(parent, "cards", path);
        String where = Fields.at(path, "cards");
        if (!cards.isArray()) {
            throw new ApiException(ApiError.invalid("Parameter '" + where + "' must be an array of "
                    + MIN_CARDS + " to " + MAX_CARDS + " cards."));
        }
        if (cards.size() < MIN_CARDS || cards.size() > MAX_CARDS) {
            throw new ApiException(ApiError.invalid("Parameter '" + where + "' must hold " + MIN_CARDS + " to "
                    + MAX_CARDS + " cards, got " + cards.size() + "."));
        }
        return cards;
    }

    /** Card {@code i} of {@code cards}, which must be a JSON object with a fresh {@code card_index}. */
    JsonNode card(JsonNode cards, int i, String cardPath) {
        JsonNode card = cards.get(i);
        if (!card.isObject()) {
            throw new ApiException(ApiError.invalid("Parameter '" + cardPath + "' must be a JSON object."));
        }
        long index = Fields.index(card, "card_index", cardPath);
        if (!indexes.add(index)) {
            throw new ApiException(ApiError.invalid("Parameter '" + cardPath + ".card_index' is " + index
                    + ", which an earlier card already has; card_index must be unique among the cards."));
        }
        return card;
    }

    /** Records that the header media at {@code where} is of {@code type}; all must be of the first one's. */
    void headerMedia(String type, String where) {
        if (mediaType == null) {
            mediaType = type;
            mediaTypeAt = where;
        } else if (!mediaType.equals(type)) {
            throw new ApiException(ApiError.invalid("Parameter '" + where + "' is " + type + " but '"
                    + mediaTypeAt + "' is " + mediaType + ": all cards' headers must be of one media type,"
                    + " image or video."));
        }
    }
}
