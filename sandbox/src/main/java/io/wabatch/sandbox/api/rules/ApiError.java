package io.wabatch.sandbox.api.rules;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * One API error as the Graph API reports it: HTTP status, numeric {@code code}, message, optional
 * subcode and actionable {@code error_data.details}. The factory methods hold every code the
 * sandbox answers with, so the catalogue in {@code SANDBOX.md} has one source.
 *
 * @param httpStatus the HTTP status of the response
 * @param code       the Graph API error code ({@code error.code})
 * @param message    the full {@code error.message}, e.g. {@code (#131009) Parameter value is not valid}
 * @param type       the Graph exception type ({@code OAuthException} or {@code GraphMethodException})
 * @param subcode    {@code error.error_subcode}, or {@code null} when the API sends none
 * @param details    {@code error.error_data.details}: what was wrong and where
 */
public record ApiError(int httpStatus, int code, String message, String type, Integer subcode, String details) {

    /** The exception type of almost every WhatsApp error. */
    public static final String OAUTH = "OAuthException";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** An error in the usual shape: message {@code (#<code>) <title>}, type {@code OAuthException}. */
    public static ApiError of(int httpStatus, int code, String title, String details) {
        return new ApiError(httpStatus, code, "(#" + code + ") " + title, OAUTH, null, details);
    }

    /** Code 100: malformed request (body not a JSON object, wrong {@code messaging_product}, bad upload). */
    public static ApiError invalidParameter(String details) {
        return of(400, 100, "Invalid parameter", details);
    }

    /** Code 100 with Graph's wording for a missing form or body parameter. */
    public static ApiError parameterRequired(String name) {
        return of(400, 100, "The parameter " + name + " is required.", "Add the parameter '" + name + "'.");
    }

    /** Code 131008: a required parameter is missing. */
    public static ApiError missing(String details) {
        return of(400, 131008, "Required parameter is missing", details);
    }

    /** Code 131009: a parameter has a value the API does not accept. */
    public static ApiError invalid(String details) {
        return of(400, 131009, "Parameter value is not valid", details);
    }

    /** Code 131051: the message type is not one the API knows. */
    public static ApiError unsupportedType(String details) {
        return of(400, 131051, "Unsupported message type", details);
    }

    /** Code 131053: a media ID that is unknown, expired, or whose MIME does not fit the message. */
    public static ApiError media(String details) {
        return of(400, 131053, "Media upload error", details);
    }

    /** Code 130429: the number's messages-per-second limit is used up for this second. */
    public static ApiError rateLimit(int httpStatus, int mps) {
        return of(httpStatus, 130429, "Rate limit hit", "Message failed to send because there were too many"
                + " messages sent from this phone number in a short period of time (limit " + mps + " per second).");
    }

    /** Code 131056: the (number, recipient) pair got messages faster than the pair rate limit allows. */
    public static ApiError pairRateLimit(String details) {
        return of(400, 131056, "(Business Account, Consumer Account) pair rate limit hit", details);
    }

    /** Code 100 as the Marketing Messages API answers a message that is no template. */
    public static ApiError templateMessagesOnly() {
        return of(400, 100, "Invalid parameter", "Message must be a template message.");
    }

    /**
     * Code 200 / HTTP 403: the business has not accepted the Marketing Messages API terms. Wording as 360dialog
     * documents it (the code there reads 131055, copied from the example above it with the same fbtrace_id; the
     * message's {@code (#200)} is Graph's own prefix for code 200, a permission error).
     */
    public static ApiError marketingTermsNotAccepted(String numberId) {
        return new ApiError(403, 200, "(#200) You must accept the Marketing Messages Lite API terms to use the API.",
                OAUTH, null, "Number " + numberId + " has not been onboarded to the Marketing Messages API: accept"
                + " its terms (sandbox: marketing_messages_onboarded) or send by /messages.");
    }

    /** Code 132000: a template's header or body got more or fewer parameters than it has placeholders. */
    public static ApiError templateParameterCount(String details) {
        return of(400, 132000, "Number of parameters does not match the expected number of params", details);
    }

    /** Code 132001: no template of that name in that language (or none approved). */
    public static ApiError templateNotFound(String details) {
        return of(400, 132001, "Template name does not exist in the translation", details);
    }

    /** Code 132012: a parameter of another format than the template's (header media type, carousel cards). */
    public static ApiError templateFormat(String details) {
        return of(400, 132012, "Parameter format does not match format in the created template", details);
    }

    /** Code 132015: the template is paused for low quality. */
    public static ApiError templatePaused(String details) {
        return of(400, 132015, "Template is Paused", details);
    }

    /** Code 132016: the template is disabled. */
    public static ApiError templateDisabled(String details) {
        return of(400, 132016, "Template is Disabled", details);
    }

    /** Code 131055: the Marketing Messages API got a template that is not a marketing template. */
    public static ApiError marketingTemplatesOnly(String details) {
        return of(400, 131055, "Method not allowed", details);
    }

    /** Code 131062: this message cannot go to a business-scoped user ID (one-tap, zero-tap, copy-code templates). */
    public static ApiError userIdNotSupported(String details) {
        return of(400, 131062, "Business-scoped User ID recipients are not supported for this message", details);
    }

    /**
     * Code 131057: the number is in maintenance, as during Meta's throughput upgrade ("The upgrade process itself can
     * take up to 1 minute. During this time the number will not be usable"). HTTP 400: Meta documents no status for
     * it; wabatch's tests use 400 too. Key on the code.
     */
    public static ApiError maintenance(String details) {
        return of(400, 131057, "Account in maintenance mode", details);
    }

    /**
     * Code 368 / HTTP 403: the business account is restricted or disabled for a policy violation; Meta's integrity
     * error, as 360dialog's error reference lists it ("The WhatsApp Business Account associated with the app has been
     * restricted or disabled for violating a platform policy", 403 Forbidden).
     */
    public static ApiError accountRestricted(String details) {
        return of(403, 368, "Temporarily blocked for policies violations", details);
    }

    /** Code 131000 / HTTP 500: Meta's generic "Something went wrong". */
    public static ApiError somethingWentWrong(String details) {
        return of(500, 131000, "Something went wrong", details);
    }

    /** An injected error (a storm) with code {@code code}, titled as the API titles it when known. */
    public static ApiError injected(int httpStatus, int code) {
        String title = switch (code) {
            case 130429 -> "Rate limit hit";
            case 131056 -> "(Business Account, Consumer Account) pair rate limit hit";
            case 131000 -> "Something went wrong";
            case 131016 -> "Service unavailable";
            case 131057 -> "Account in maintenance mode";
            case 131048 -> "Spam rate limit hit";
            case 131031 -> "Account has been locked";
            case 131042 -> "Business eligibility payment issue";
            case 4 -> "Application request limit reached";
            case 80007 -> "Rate limit issues";
            case 368 -> "Temporarily blocked for policies violations";
            case 1 -> "API Unknown";
            case 2 -> "API Service";
            default -> "Error";
        };
        return of(httpStatus, code, title, "Injected by a sandbox storm (see /_sandbox/settings).");
    }

    /** Code 190 / HTTP 401: the bearer token is missing or not known. Graph sends no {@code (#190)} prefix. */
    public static ApiError invalidToken() {
        return new ApiError(401, 190, "Invalid OAuth access token - Cannot parse access token", OAUTH, null,
                "Send 'Authorization: Bearer <token>' with a token configured for this phone number.");
    }

    /**
     * Code 100, subcode 33: the object (a phone number ID the token may not use, an unknown media ID)
     * does not exist for this caller. Wording as the Graph API sends it.
     */
    public static ApiError unsupportedRequest(String method, String objectId) {
        String message = "Unsupported " + method + " request. Object with ID '" + objectId + "' does not exist,"
                + " cannot be loaded due to missing permissions, or does not support this operation."
                + " Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api";
        return new ApiError(400, 100, message, "GraphMethodException", 33,
                "Object '" + objectId + "' is unknown, expired, or not accessible with this credential.");
    }

    /** The exact Meta wording for an upload whose MIME type is not supported. */
    public static ApiError unsupportedMime(String supportedList, String mime) {
        return of(400, 100, "Param file must be a file with one of the following types: " + supportedList
                + ". Received file of type '" + mime + "'.", "Upload one of the supported MIME types.");
    }

    /** This error as the JSON body {@code {"error":{...}}} with a fresh random {@code fbtrace_id}. */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("code", code);
        if (subcode != null) {
            error.put("error_subcode", subcode);
        }
        ObjectNode data = error.putObject("error_data");
        data.put("messaging_product", "whatsapp");
        data.put("details", details);
        error.put("fbtrace_id", traceId());
        return root;
    }

    private static String traceId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "A" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
