package io.wabatch.sandbox.api.media;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Metadata of one uploaded file; the bytes themselves are hashed and discarded.
 *
 * @param id           the media ID (a numeric string)
 * @param number       the phone-number ID that uploaded it
 * @param mime         the normalised MIME type
 * @param size         the file's size in bytes
 * @param sha256       the file's SHA-256, lower-case hex
 * @param filename     the file part's file name, or {@code null}
 * @param uploadedAtMs upload time, epoch milliseconds
 * @param expiresAtMs  end of life (upload + media TTL), epoch milliseconds
 * @param deleted      whether {@code DELETE /{media-id}} removed it
 */
public record StoredMedia(String id, String number, String mime, long size, String sha256, String filename,
        long uploadedAtMs, long expiresAtMs, boolean deleted) {

    /** Whether the ID can still be used at {@code nowMs}. */
    public boolean liveAt(long nowMs) {
        return !deleted && nowMs < expiresAtMs;
    }

    /** This record marked deleted. */
    public StoredMedia asDeleted() {
        return new StoredMedia(id, number, mime, size, sha256, filename, uploadedAtMs, expiresAtMs, true);
    }

    /** This record as served by {@code GET /_sandbox/uploads}. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", id);
        node.put("number", number);
        node.put("mime", mime);
        node.put("size", size);
        node.put("sha256", sha256);
        node.put("filename", filename);
        node.put("uploaded_at_ms", uploadedAtMs);
        node.put("expires_at_ms", expiresAtMs);
        node.put("deleted", deleted);
        return node;
    }
}
