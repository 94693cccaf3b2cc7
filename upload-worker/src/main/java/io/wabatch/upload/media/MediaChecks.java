package io.wabatch.upload.media;

import io.wabatch.common.contract.MediaType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Size checks a media file must pass for its message type, with reasons a producer can act on. */
final class MediaChecks {

    private MediaChecks() {
    }

    /** Why an announced length cannot work for {@code type}, or null when it can (or is unknown). */
    static String problem(MediaType type, long announcedLength) {
        if (announcedLength > type.maxBytes()) {
            return tooLarge(type) + ": the origin announced " + announcedLength + " bytes";
        }
        if (announcedLength == 0) {
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
