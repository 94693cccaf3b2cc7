package io.wabatch.sandbox.api.rules;

/**
 * What the rules extracted from an accepted message body.
 *
 * @param type      the message type (defaulted to {@code text} when absent)
 * @param to        the recipient as sent in {@code to}, or {@code null} when the body names its recipient by
 *                  {@code recipient} only
 * @param waId      the digits of {@code to}, or {@code null} without {@code to}
 * @param callback  {@code biz_opaque_callback_data}, or {@code null}
 * @param linkMedia media objects the body sends by {@code link}, wherever they sit (media by
 *                  {@code id} do not count)
 * @param recipient the business-scoped user ID sent in {@code recipient} when there is no {@code to} (with
 *                  both, {@code to} wins and this is {@code null})
 */
public record ValidatedMessage(String type, String to, String waId, String callback, int linkMedia,
        String recipient) {

    /** A message to a phone number. */
    public ValidatedMessage(String type, String to, String waId, String callback, int linkMedia) {
        this(type, to, waId, callback, linkMedia, null);
    }

    /** A message to a phone number without link media. */
    public ValidatedMessage(String type, String to, String waId, String callback) {
        this(type, to, waId, callback, 0, null);
    }
}
