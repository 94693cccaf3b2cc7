package io.wabatch.upload.media;

import io.wabatch.common.contract.MediaType;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.tika.Tika;

/**
 * Decides the MIME type to upload from what the origin declared and what the bytes are (Apache
 * Tika's magic detection over the file's first bytes). The bytes win: a "JPEG" that is an HTML
 * page is rejected. Where magic can only name a container (ISO media, Ogg, ZIP for OOXML, OLE2 for
 * old Office files) the declared type decides within that container, or the message type's usual
 * MIME when nothing usable was declared.
 */
public final class MimeSniffer {

    /** Bytes Tika needs for magic detection; the fetcher keeps this much of every download. */
    public static final int HEAD_BYTES = 64 * 1024;

    private static final Tika TIKA = new Tika();
    private static final Map<String, Set<String>> CONTAINERS = Map.of(
            "video/quicktime", Set.of("video/mp4", "audio/mp4", "video/3gpp", "video/3gp"),
            "application/mp4", Set.of("video/mp4", "audio/mp4", "video/3gpp", "video/3gp"),
            "video/x-m4v", Set.of("video/mp4"),
            "application/ogg", Set.of("audio/ogg"),
            "audio/opus", Set.of("audio/ogg"),
            "audio/vorbis", Set.of("audio/ogg"),
            "application/zip", Set.of("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            "application/x-tika-ooxml", Set.of("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            "application/x-tika-msoffice", Set.of("application/msword", "application/vnd.ms-excel",
                    "application/vnd.ms-powerpoint"));
    private static final Map<MediaType, String> USUAL = Map.of(MediaType.VIDEO, "video/mp4", MediaType.AUDIO, "audio/ogg");

    private MimeSniffer() {
    }

    private static String article(MediaType type) {
        String name = type.jsonName();
        return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    /** What Tika sees in {@code head}. */
    public static String sniff(byte[] head) {
        return TIKA.detect(head).toLowerCase(Locale.ROOT);
    }

    /**
     * The MIME type to upload for a {@code type} message.
     *
     * @throws MediaException ({@link MediaException#REJECTED}) with the declared and detected types
     */
    public static String resolve(MediaType type, String declared, byte[] head) {
        String sniffed = sniff(head);
        String bareDeclared = declared == null ? null : declared.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (sniffed.equals("text/html") || sniffed.equals("application/xhtml+xml")) {
            throw new MediaException(MediaException.REJECTED, "the origin served an HTML page instead of the "
                    + type.jsonName() + " itself (declared " + bareDeclared + "); link the file directly");
        }
        if (type.accepts(sniffed)) {
            return sniffed;
        }
        Set<String> family = CONTAINERS.getOrDefault(sniffed, Set.of());
        if (bareDeclared != null && family.contains(bareDeclared) && type.accepts(bareDeclared)) {
            return bareDeclared;
        }
        String usual = USUAL.get(type);
        if (usual != null && family.contains(usual) && (bareDeclared == null || !type.accepts(bareDeclared))) {
            return usual;
        }
        throw new MediaException(MediaException.REJECTED, "the file is " + sniffed + " (declared "
                + bareDeclared + "); " + article(type) + " must be one of " + new TreeSet<>(type.mimeTypes()));
    }
}
