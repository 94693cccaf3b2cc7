package io.wabatch.sandbox.api.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The documented rules of a {@code POST /messages} body. A pure function of the body and the
 * sending number's media: it either returns what the sandbox records or throws an
 * {@link ApiException} naming the code and the offending parameter. Unknown fields are ignored,
 * as the API does.
 */
public final class MessageRules {

    /** The message types the API knows, in Meta's documentation order. */
    public static final List<String> TYPES = List.of("text", "image", "audio", "video", "document", "sticker",
            "template", "interactive", "location", "contacts", "reaction");

    private static final int MAX_CALLBACK_BYTES = 512;

    private MessageRules() {
    }

    /**
     * Validates one message body.
     *
     * @param body   the parsed request body (anything; non-objects are rejected with code 100)
     * @param lookup the sending number's live media
     * @return the accepted message's type, recipient ({@code to}, or else {@code recipient}: a business-scoped
     *         user ID; {@code to} wins when both are sent), callback data and media sent by link
     * @throws ApiException with the code of the first rule broken
     */
    public static ValidatedMessage validate(JsonNode body, MediaLookup lookup) {
        if (body == null || !body.isObject()) {
            throw new ApiException(ApiError.invalidParameter("The request body must be a JSON object."));
        }
        checkProduct(body);
        checkRecipientType(body);
        JsonNode toNode = body.get("to");
        String to = null;
        String waId = null;
        String recipient = null;
        if (toNode != null && !toNode.isNull()) {
            to = Fields.requiredText(body, "to", "");
            waId = PhoneNumbers.digits(to);
        } else if (body.hasNonNull("recipient")) {
            recipient = UserIds.recipient(Fields.requiredText(body, "recipient", ""));
        } else {
            throw new ApiException(ApiError.missing("Parameter 'to' is required: the recipient's phone number (or"
                    + " 'recipient', their business-scoped user ID)."));
        }
        String type = messageType(body);
        MediaContext media = new MediaContext(lookup);
        checkPayload(type, body, media);
        return new ValidatedMessage(type, to, waId, callback(body), media.links(), recipient);
    }

    private static void checkProduct(JsonNode body) {
        JsonNode product = body.get("messaging_product");
        if (product == null || product.isNull()) {
            throw new ApiException(ApiError.parameterRequired("messaging_product"));
        }
        if (!"whatsapp".equals(product.asText()) || !product.isTextual()) {
            throw new ApiException(ApiError.invalidParameter(
                    "Parameter 'messaging_product' must be 'whatsapp', got " + product + "."));
        }
    }

    private static void checkRecipientType(JsonNode body) {
        String recipientType = Fields.optionalText(body, "recipient_type", "");
        if (recipientType != null && !recipientType.equals("individual")) {
            throw new ApiException(ApiError.invalid(
                    "Parameter 'recipient_type' must be 'individual', got '" + recipientType + "'."));
        }
    }

    private static String messageType(JsonNode body) {
        String type = Fields.optionalText(body, "type", "");
        if (type == null) {
            return "text";
        }
        if (!TYPES.contains(type)) {
            throw new ApiException(ApiError.unsupportedType(
                    "Message type '" + type + "' is not supported; use one of " + String.join(", ", TYPES) + "."));
        }
        return type;
    }

    private static void checkPayload(String type, JsonNode body, MediaContext media) {
        if (type.equals("contacts")) {
            OtherTypeRules.contacts(Fields.required(body, type, ""));
            return;
        }
        JsonNode payload = Fields.requiredObject(body, type, "");
        MediaKind kind = MediaKind.forMessageType(type).orElse(null);
        if (kind != null) {
            MediaRules.check(kind, payload, type, media);
            return;
        }
        switch (type) {
            case "text" -> OtherTypeRules.text(payload);
            case "template" -> TemplateRules.check(payload, "template", media);
            case "interactive" -> InteractiveRules.check(payload, media);
            case "location" -> OtherTypeRules.location(payload);
            case "reaction" -> OtherTypeRules.reaction(payload);
            default -> throw new IllegalStateException("unhandled type " + type);
        }
    }

    private static String callback(JsonNode body) {
        String callback = Fields.optionalText(body, "biz_opaque_callback_data", "");
        if (callback != null && callback.getBytes(StandardCharsets.UTF_8).length > MAX_CALLBACK_BYTES) {
            throw new ApiException(ApiError.invalid("Parameter 'biz_opaque_callback_data' is longer than "
                    + MAX_CALLBACK_BYTES + " bytes."));
        }
        return callback;
    }
}
