package io.wabatch.sandbox.api.rules;

import java.util.Optional;

/**
 * What the rules need to know about uploaded media: the MIME type of a media ID that the sending
 * number uploaded and that has not expired or been deleted. Scoping to the number and the clock
 * is the caller's business.
 */
@FunctionalInterface
public interface MediaLookup {

    /** The MIME type of {@code mediaId}, or empty when unknown, expired, deleted or another number's. */
    Optional<String> mimeOf(String mediaId);
}
