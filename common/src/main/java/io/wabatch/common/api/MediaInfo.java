package io.wabatch.common.api;

import java.util.Objects;

/**
 * The API's view of an uploaded media object ({@code GET /{media-id}}).
 *
 * @param id       the media id
 * @param url      a short-lived download URL; null when absent
 * @param mimeType the MIME type the API recorded; null when absent
 * @param sha256   the hex SHA-256 of the stored bytes; null when absent
 * @param fileSize the size in bytes (the API sends a number or a numeric string); -1 when absent
 */
public record MediaInfo(String id, String url, String mimeType, String sha256, long fileSize) {

    public MediaInfo {
        Objects.requireNonNull(id, "id");
    }
}
