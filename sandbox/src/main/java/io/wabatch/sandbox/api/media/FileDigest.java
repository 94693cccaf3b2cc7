package io.wabatch.sandbox.api.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 and size of a file, read in 64 KiB chunks so memory stays constant whatever the size.
 * Blocking: call it off the event loop.
 *
 * @param sha256 lower-case hex digest
 * @param size   bytes read
 */
public record FileDigest(String sha256, long size) {

    /** Streams {@code file} once. */
    public static FileDigest of(Path file) throws IOException {
        MessageDigest sha = newSha256();
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
                size += n;
            }
        }
        return new FileDigest(HexFormat.of().formatHex(sha.digest()), size);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
