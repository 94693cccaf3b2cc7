package io.wabatch.upload.media;

/**
 * A media id for a link, with what was uploaded.
 *
 * @param shareable false when the origin forbade sharing (no-store, private): not reused by other jobs
 */
public record UploadedMedia(String mediaId, String mimeType, String sha256, long size, String filename,
                            boolean shareable) {
}
