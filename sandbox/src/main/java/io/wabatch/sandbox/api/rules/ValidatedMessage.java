package io.wabatch.sandbox.api.rules;

/**
 * What the rules extracted from an accepted message body.
 *
 * @param type      the message type (defaulted to {@code text} when absent)
 * @param to        the recipient as sent
 * @param waId      the recipient's digits
 * @param callback  {@code biz_opaque_callback_data}, or {@code null}
 * @param linkMedia media objects the body sends by {@code link}, wherever they sit (media by
 *                  {@code id} do not count)
 */
public record ValidatedMessage(String type, String to, String waId, String callback, int linkMedia) {

    /** A message without link media. */
    public ValidatedMessage(String type, String to, String waId, String callback) {
        this(type, to, waId, callback, 0);
    }
}
