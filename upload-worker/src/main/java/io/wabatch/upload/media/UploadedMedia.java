package io.wabatch.upload.media;

/** A media id obtained for a link, with what was uploaded. */
public record UploadedMedia(String mediaId, String mimeType, String sha256, long size, String filename) {
}
