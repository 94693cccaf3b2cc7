package io.wabatch.common.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Turns an error answer into an {@link ApiError}. Pure and total: any status and any body, even
 * empty or not JSON, yields an error, never an exception. Tolerates every shape of facts §4:
 * <ul>
 *   <li>Meta's {@code {"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}},
 *       with {@code code} as a number or a numeric string;</li>
 *   <li>360dialog's gateway {@code {"error":"Invalid request"}};</li>
 *   <li>{@code {"meta":{"httpCode":400,"developerMessage":"...","success":false}}}, also snake_case;</li>
 *   <li>the on-premise style {@code {"errors":[{"code","title","details"}]}};</li>
 *   <li>anything else (an HTML page from a proxy): code null, details a short excerpt.</li>
 * </ul>
 */
public final class ApiErrorParser {

    /** Longest body excerpt kept in {@link ApiError#details()} when the body is not an error envelope. */
    public static final int EXCERPT_LENGTH = 200;

    private static final int MAX_TEXT = 1_000;
    private static final Pattern CODE_PREFIX = Pattern.compile("^\\(#\\d+\\)\\s*");
    private static final Pattern TAGS = Pattern.compile("<[^>]*>");
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    private ApiErrorParser() {
    }

    /** Parses a Vert.x buffer body; null means no body. */
    public static ApiError parse(int httpStatus, Buffer body) {
        return parse(httpStatus, body == null ? null : body.getBytes());
    }

    /** Parses a text body; null means no body. */
    public static ApiError parse(int httpStatus, String body) {
        return parse(httpStatus, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a UTF-8 body; null means no body. */
    public static ApiError parse(int httpStatus, byte[] body) {
        JsonNode root = ApiJson.tree(body);
        JsonNode error = root.path("error");
        if (error.isObject()) {
            return metaShape(httpStatus, error);
        }
        if (error.isTextual()) {
            return new ApiError(httpStatus, null, null, clip(error.asText()), null, null, false);
        }
        if (root.path("errors").isArray() && root.path("errors").size() > 0) {
            return entry(httpStatus, ApiJson.first(root, "errors"));
        }
        if (root.path("meta").isObject()) {
            return gatewayShape(httpStatus, root.path("meta"));
        }
        return new ApiError(httpStatus, null, null, null, excerpt(body), null, false);
    }

    /**
     * Reads one entry of a status webhook's {@code statuses[].errors[]} (facts §6), e.g.
     * {@code {"code":131053,"title":"Media upload error","error_data":{"details":"..."}}}.
     * The result has HTTP status 0 and is not a transport error.
     */
    public static ApiError fromStatusError(JsonNode error) {
        return entry(0, error == null ? ApiJson.tree(null) : error);
    }

    private static ApiError metaShape(int httpStatus, JsonNode error) {
        String message = ApiJson.text(error, "message");
        String title = message != null ? CODE_PREFIX.matcher(message).replaceFirst("")
                : ApiJson.text(error, "error_user_title");
        String details = details(error);
        if (details == null) {
            details = ApiJson.text(error, "error_user_msg");
        }
        return new ApiError(httpStatus, ApiJson.integer(error, "code"), ApiJson.integer(error, "error_subcode"),
                clip(title), clip(details), ApiJson.text(error, "fbtrace_id"), false);
    }

    private static ApiError entry(int httpStatus, JsonNode error) {
        String title = ApiJson.text(error, "title");
        if (title == null && ApiJson.text(error, "message") != null) {
            title = CODE_PREFIX.matcher(ApiJson.text(error, "message")).replaceFirst("");
        }
        return new ApiError(httpStatus, ApiJson.integer(error, "code"), ApiJson.integer(error, "error_subcode"),
                clip(title), clip(details(error)), ApiJson.text(error, "fbtrace_id"), false);
    }

    private static ApiError gatewayShape(int httpStatus, JsonNode meta) {
        String message = ApiJson.text(meta, "developerMessage");
        if (message == null) {
            message = ApiJson.text(meta, "developer_message");
        }
        return new ApiError(httpStatus, null, null, clip(message), null, null, false);
    }

    private static String details(JsonNode error) {
        JsonNode data = error.path("error_data");
        String details = data.isObject() ? ApiJson.text(data, "details") : ApiJson.text(error, "error_data");
        return details != null ? details : ApiJson.text(error, "details");
    }

    private static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        int length = Math.min(body.length, EXCERPT_LENGTH * 20);
        String text = new String(body, 0, length, StandardCharsets.UTF_8);
        text = BLANKS.matcher(TAGS.matcher(text).replaceAll(" ")).replaceAll(" ").strip();
        if (text.isEmpty()) {
            return null;
        }
        return text.length() <= EXCERPT_LENGTH ? text : text.substring(0, EXCERPT_LENGTH) + "…";
    }

    private static String clip(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
