package io.wabatch.common.metrics;

import io.wabatch.common.api.ErrorClassifier;
import java.util.Set;
import java.util.TreeSet;

/**
 * Error codes as metric tag values: wabatch's own codes (as in results and {@code wabatch.error.code}
 * headers) and the API error codes wabatch knows (the {@link ErrorClassifier} table) pass through; an
 * HTTP status without a code becomes its class ({@code http_4xx}, {@code http_5xx}); anything else,
 * such as a code the API invented yesterday, is {@value #OTHER}. So an error tag never has more
 * values than this class lists, whatever the API or a hostile record says.
 */
public final class ErrorCodes {

    public static final String INVALID_JOB = "invalid_job";
    public static final String INVALID_RECIPIENT = "invalid_recipient";
    public static final String INVALID_REUPLOAD = "invalid_reupload";
    public static final String INVALID_READY_JOB = "invalid_ready_job";
    public static final String UNKNOWN_CHANNEL = "unknown_channel";
    public static final String INTERNAL_ERROR = "internal_error";
    public static final String IN_DOUBT = "in_doubt";
    public static final String EXPIRED = "expired";
    public static final String MEDIA_BLOCKED = "media_blocked";
    public static final String MEDIA_UNAVAILABLE = "media_unavailable";
    public static final String MEDIA_REJECTED = "media_rejected";
    public static final String MEDIA_UPLOAD_FAILED = "media_upload_failed";
    /** The template catalogue's codes ({@link io.wabatch.common.template.TemplateProblem}). */
    public static final String TEMPLATE_UNKNOWN = "template_unknown";
    public static final String TEMPLATE_PAUSED = "template_paused";
    public static final String TEMPLATE_NOT_APPROVED = "template_not_approved";
    public static final String TEMPLATE_MISMATCH = "template_mismatch";
    /** A marketing template to a US number, skipped by the sender's US marketing pause rule. */
    public static final String US_MARKETING_PAUSE = "us_marketing_pause";
    /** A marketing template over its portfolio's per-user marketing cap, skipped as its campaign asks. */
    public static final String MARKETING_CAP = "marketing_cap";
    /** No answer from the API (timeout, reset, refused). */
    public static final String TRANSPORT = "transport";
    public static final String HTTP_4XX = "http_4xx";
    public static final String HTTP_5XX = "http_5xx";
    /** Any code not listed here. */
    public static final String OTHER = "other";

    /** wabatch's own codes, {@value #OTHER} included. */
    public static final Set<String> WABATCH = Set.of(INVALID_JOB, INVALID_RECIPIENT, INVALID_REUPLOAD,
            INVALID_READY_JOB, UNKNOWN_CHANNEL, INTERNAL_ERROR, IN_DOUBT, EXPIRED, MEDIA_BLOCKED, MEDIA_UNAVAILABLE,
            MEDIA_REJECTED, MEDIA_UPLOAD_FAILED, TEMPLATE_UNKNOWN, TEMPLATE_PAUSED, TEMPLATE_NOT_APPROVED, TEMPLATE_MISMATCH,
            US_MARKETING_PAUSE, MARKETING_CAP, TRANSPORT, HTTP_4XX, HTTP_5XX, OTHER);

    /** The API error codes of the classification table, as decimal strings. */
    public static final Set<String> API = apiCodes();

    /** Every value {@link #bounded} can return. */
    public static final Set<String> ALL = all();

    private ErrorCodes() {
    }

    /** {@code code} if it is a known code, its class for {@code http_<status>}, else {@value #OTHER}. */
    public static String bounded(String code) {
        if (code == null) {
            return OTHER;
        }
        if (WABATCH.contains(code) || API.contains(code)) {
            return code;
        }
        if (code.length() == 8 && code.startsWith("http_")) {
            char statusClass = code.charAt(5);
            return statusClass == '4' ? HTTP_4XX : statusClass == '5' ? HTTP_5XX : OTHER;
        }
        return OTHER;
    }

    private static Set<String> apiCodes() {
        Set<String> codes = new TreeSet<>();
        ErrorClassifier.knownCodes().forEach(code -> codes.add(Integer.toString(code)));
        return Set.copyOf(codes);
    }

    private static Set<String> all() {
        Set<String> all = new TreeSet<>(WABATCH);
        all.addAll(API);
        return Set.copyOf(all);
    }
}
