package io.wabatch.upload.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.MediaObjects;
import java.util.List;

/**
 * The link media of a validated message: every media object that {@link MediaObjects} finds (media
 * messages, template headers and carousel cards, interactive headers and media carousel cards)
 * and that names a {@code link}. Media given by {@code id} are already uploaded and are left alone.
 */
public final class MediaLocator {

    private MediaLocator() {
    }

    /** The link media in {@code message}, in document order. */
    public static List<LinkMedia> find(JsonNode message) {
        return MediaObjects.find(message).stream()
                .filter(MediaObjects.Found::byLink)
                .map(found -> new LinkMedia(found.pointer(), found.type(), found.object().get("link").asText()))
                .toList();
    }
}
