package io.wabatch.webhook;

/** Why a correctly signed webhook body went to the unparsed topic: the {@code reason} tag and header. */
enum UnparsedReason {
    /** The body is not JSON. */
    NOT_JSON("not_json"),
    /** JSON, but not {@code {"object": "whatsapp_business_account", "entry": [...]}}. */
    NOT_WEBHOOK("not_webhook"),
    /** A webhook with an item the receiver could not read; its other events were written. */
    UNREADABLE_ITEM("unreadable_item");

    private final String tag;

    UnparsedReason(String tag) {
        this.tag = tag;
    }

    /** The metric tag value and header value. */
    String tag() {
        return tag;
    }
}
