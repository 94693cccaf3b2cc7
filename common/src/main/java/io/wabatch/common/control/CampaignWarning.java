package io.wabatch.common.control;

import io.wabatch.common.contract.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Something a campaign's owner should know that does not stop it (yet): the platform rated its template's
 * quality RED, announced a change of its category, or changed it. Kept in the compacted {@code wa.control}
 * topic under {@code warning:<kind>:<campaign>}, one record per kind (the latest wins; a tombstone clears it),
 * beside the campaign's command, which it never changes. Senders ignore it; the funnel shows it in the
 * campaign's {@link io.wabatch.common.contract.CampaignFunnel#warnings()}, so {@code wabatch campaign status}
 * prints it.
 *
 * @param kind {@value #TEMPLATE_QUALITY} or {@value #TEMPLATE_CATEGORY}
 * @param text what happened and what to do, in words
 * @param by   who warned: {@code platform}
 * @param at   when the event happened
 */
public record CampaignWarning(String kind, String text, String by, Instant at) {

    public static final String TEMPLATE_QUALITY = "template_quality";
    public static final String TEMPLATE_CATEGORY = "template_category";
    private static final String PREFIX = "warning:";

    /** A campaign and the kind of warning a control key names. */
    public record Key(String campaign, String kind) {
    }

    /** The control key of a campaign's warning of {@code kind}. */
    public static byte[] key(String campaign, String kind) {
        return (PREFIX + kind + ":" + campaign).getBytes(StandardCharsets.UTF_8);
    }

    /** The campaign and kind a control key names, or null when the key is about something else. */
    public static Key keyOf(byte[] key) {
        String text = key == null ? "" : new String(key, StandardCharsets.UTF_8);
        int colon = text.indexOf(':', PREFIX.length());
        return text.startsWith(PREFIX) && colon > PREFIX.length() && colon < text.length() - 1
                ? new Key(text.substring(colon + 1), text.substring(PREFIX.length(), colon)) : null;
    }

    /** Reads a warning; null for a tombstone or an unreadable value. */
    public static CampaignWarning read(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            CampaignWarning warning = Json.read(value, CampaignWarning.class);
            return warning.text() == null ? null : warning;
        } catch (IOException e) {
            return null;
        }
    }

    /** The warning as one line for a person: its text and when. */
    public String line() {
        return text + (at == null ? "" : " (" + at + ")");
    }
}
