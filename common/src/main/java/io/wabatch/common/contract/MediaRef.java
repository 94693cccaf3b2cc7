package io.wabatch.common.contract;

/**
 * A link media that the upload worker turned into a media id, kept on the ready job so the
 * sender can send it back for re-upload when the id has expired (DESIGN §3).
 *
 * @param pointer JSON pointer of the media object inside the ready message, e.g. {@code /image}
 *                or {@code /template/components/0/parameters/0/image}
 * @param link    the original source URL
 * @param mediaId the uploaded media id now in the message
 * @param mimeType the MIME type that was uploaded
 * @param sha256  hex SHA-256 of the uploaded bytes, when known
 */
public record MediaRef(String pointer, String link, String mediaId, String mimeType, String sha256) {
}
