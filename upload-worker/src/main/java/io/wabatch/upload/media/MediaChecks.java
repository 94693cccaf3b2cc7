package io.wabatch.upload.media;

import io.wabatch.common.contract.MediaType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;

/** The checks a media file must pass for its message type, with reasons a producer can act on. */
final class MediaChecks {

    private MediaChecks() {
    }

    /** Why the declared MIME type or length cannot work for {@code type}, or null when they can. */
    static String problem(MediaType type, String mime, long contentLength) {
        if (mime == null) {
            return "the origin declared no Content-Type; a " + type.jsonName() + " must be one of " + allowed(type);
        }
        if (mime.equals("text/html") && type != MediaType.DOCUMENT) {
            return "the origin served an HTML page instead of the " + type.jsonName() + " itself; link the file directly";
        }
        if (!type.accepts(mime)) {
            return "the origin served '" + mime + "'; a " + type.jsonName() + " must be one of " + allowed(type);
        }
        if (contentLength > type.maxBytes()) {
            return tooLarge(type) + ": the origin announced " + contentLength + " bytes";
        }
        if (contentLength == 0) {
            return "the origin announced an empty body";
        }
        return null;
    }

    static String tooLarge(MediaType type) {
        return "the file is larger than WhatsApp's " + type.jsonName() + " limit of " + megabytes(type.maxBytes());
    }

    private static String megabytes(long bytes) {
        return bytes >= (1L << 20) ? (bytes >> 20) + " MB" : (bytes >> 10) + " KB";
    }

    private static String allowed(MediaType type) {
        return String.join(", ", new TreeSet<>(type.mimeTypes()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
