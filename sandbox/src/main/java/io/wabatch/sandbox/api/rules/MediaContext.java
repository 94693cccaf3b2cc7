package io.wabatch.sandbox.api.rules;

import java.util.Optional;

/**
 * The media side of validating one body: the sending number's live media, and how many media
 * objects the body sends by {@code link} (wherever they sit). One per body, one thread.
 */
final class MediaContext {

    private final MediaLookup lookup;
    private int links;

    MediaContext(MediaLookup lookup) {
        this.lookup = lookup;
    }

    /** The MIME type of {@code mediaId}, or empty when unknown, expired, deleted or another number's. */
    Optional<String> mimeOf(String mediaId) {
        return lookup.mimeOf(mediaId);
    }

    /** Called by {@link MediaRules} once for each valid media object sent by {@code link}. */
    void linkSeen() {
        links++;
    }

    /** Media objects sent by {@code link} so far. */
    int links() {
        return links;
    }
}
