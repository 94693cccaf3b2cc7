package io.wabatch.upload.media;

import java.nio.file.Path;

/**
 * A media file downloaded to the spool directory, hashed and checked against its type's limits.
 * The owner deletes {@code file} once it is uploaded.
 */
public record SpooledMedia(Path file, long size, String sha256, String mimeType, String filename) {
}
