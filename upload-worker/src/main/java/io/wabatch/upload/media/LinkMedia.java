package io.wabatch.upload.media;

import io.wabatch.common.contract.MediaType;

/**
 * A media object in a message that points at a link and must be uploaded.
 *
 * @param pointer JSON pointer of the media object, e.g. {@code /image} or
 *                {@code /template/components/0/parameters/0/document}
 * @param type    its media type, which decides the allowed MIME types and size
 * @param link    the source URL
 */
public record LinkMedia(String pointer, MediaType type, String link) {
}
