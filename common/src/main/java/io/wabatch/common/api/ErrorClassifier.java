package io.wabatch.common.api;

import io.wabatch.common.api.ErrorAction.Kind;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides what to do about a failed call: one pure function of the {@link ApiError}, no state,
 * no I/O, safe from any thread. The table is facts §4 ({@code reference/whatsapp-api-facts.md})
 * row by row, tested row by row in {@code ErrorClassifierTest}.
 *
 * <p>Order of decision:
 * <ol>
 *   <li>Transport failures (no answer): {@link Kind#RETRY_LATER}, in doubt unless the request
 *       certainly never left ({@link TransportFailure#mayHaveBeenSent()}); a full local wait queue
 *       is {@link Kind#RETRY_NOW}.</li>
 *   <li>A known {@code error.code} decides, whatever the HTTP status (130429 comes with 400 or 429).</li>
 *   <li>Otherwise the status: 401 pauses the channel; 408 and 429 retry later (a gateway's timeout
 *       and rate limit, 429 also lowering the pace); any other 4xx is {@link Kind#PERMANENT}; 5xx,
 *       a missing body and any unexpected status (a 2xx without a wamid) retry later, in doubt.
 *       Status 0 (a status webhook's error): an unknown code is permanent, no code retries later.</li>
 * </ol>
 * Never "every status ≥ 400 is retriable".
 *
 * <p>{@link ErrorAction#mayHaveBeenSent()}: false for rate-limit rejections (processed before the
 * message) and explicit 4xx rejections; true for 5xx, timeouts and resets, whose message the API
 * may already have sent (facts §4: the API has no idempotency key).
 */
public final class ErrorClassifier {

    private static final Map<Integer, Rule> RULES = rules();

    private ErrorClassifier() {
    }

    /** The action for one error. */
    public static ErrorAction classify(ApiError error) {
        if (error.transport()) {
            return transport(error.transportFailure().orElse(TransportFailure.OTHER));
        }
        Rule rule = error.code() == null ? null : RULES.get(error.code());
        if (rule != null) {
            boolean inDoubt = rule.inDoubtOn5xx() && error.httpStatus() >= 500;
            return new ErrorAction(rule.kind(), inDoubt, "#" + error.code() + " " + rule.reason());
        }
        return byStatus(error.httpStatus(), error.code());
    }

    /** The API error codes the table knows (others are classified by HTTP status). */
    public static java.util.Set<Integer> knownCodes() {
        return RULES.keySet();
    }

    private static ErrorAction transport(TransportFailure failure) {
        Kind kind = failure == TransportFailure.POOL_EXHAUSTED ? Kind.RETRY_NOW : Kind.RETRY_LATER;
        String reason = failure.mayHaveBeenSent()
                ? "no answer (" + failure.label() + "): the API may have sent the message"
                : "no answer (" + failure.label() + "): the request never reached the API";
        return new ErrorAction(kind, failure.mayHaveBeenSent(), reason);
    }

    private static ErrorAction byStatus(int status, Integer code) {
        String prefix = (code == null ? "" : "unknown code #" + code + ", ") + "HTTP " + status;
        if (status == 401) {
            return new ErrorAction(Kind.PAUSE_CHANNEL, false, prefix + ": credential rejected; stop the channel, alert");
        }
        if (status == 408 || status == 429) {
            return new ErrorAction(status == 429 ? Kind.LOWER_PACE : Kind.RETRY_LATER, false,
                    prefix + ": rejected before processing; retry later");
        }
        if (status >= 400 && status < 500) {
            return new ErrorAction(Kind.PERMANENT, false, prefix + ": client error; resending cannot help");
        }
        if (status >= 500) {
            return new ErrorAction(Kind.RETRY_LATER, true, prefix + ": server error; retry with backoff");
        }
        if (status == 0 && code != null) {
            return new ErrorAction(Kind.PERMANENT, false, "unknown code #" + code + " in a failed status webhook");
        }
        if (status == 0) {
            return new ErrorAction(Kind.RETRY_LATER, false, "failed status webhook without a code; retry later");
        }
        return new ErrorAction(Kind.RETRY_LATER, true, prefix + ": unexpected answer; the API may have sent it");
    }

    private record Rule(Kind kind, boolean inDoubtOn5xx, String reason) {
    }

    private static Map<Integer, Rule> rules() {
        Map<Integer, Rule> m = new HashMap<>();
        put(m, Kind.LOWER_PACE, false, "throughput rate limit hit; lower the pace", 130429);
        put(m, Kind.RECIPIENT_BACKOFF, false, "pair rate limit; back off this recipient", 131056);
        put(m, Kind.PAUSE_WABA, false, "app or WABA call-rate limit; pause the WABA's channels", 4, 80007);
        put(m, Kind.RETRY_LATER, true, "service unavailable; retry with backoff", 131000, 1, 2, 131016);
        put(m, Kind.RETRY_LATER, false, "account in maintenance; retry later", 131057);
        put(m, Kind.PAUSE_CHANNEL, false, "spam rate limit; quality problem, stop the channel", 131048);
        put(m, Kind.PAUSE_CHANNEL, false, "access token expired or invalid; stop the channel, alert", 190);
        put(m, Kind.PAUSE_CHANNEL, false, "business payment or eligibility issue; pause, alert", 131042);
        put(m, Kind.PAUSE_CHANNEL, false, "business account locked; pause, alert", 131031);
        put(m, Kind.PAUSE_CHANNEL, false, "blocked for policy violations; stop the channel", 368);
        put(m, Kind.PERMANENT, false, "invalid or missing parameter, or unsupported type", 100, 131008, 131009, 131051);
        put(m, Kind.PERMANENT, false, "message undeliverable", 131026);
        put(m, Kind.PERMANENT, false, "outside the 24 h window; needs a template", 131047);
        put(m, Kind.PERMANENT, false, "user stopped marketing messages; never retry", 131050);
        put(m, Kind.PERMANENT, false, "a business-scoped user ID cannot receive this message (one-tap, zero-tap and "
                + "copy-code authentication templates need the phone number); send to the number", 131062);
        put(m, Kind.PERMANENT, false, "template invalid for this job; fix the job", 132000, 132005, 132007, 132012);
        put(m, Kind.PAUSE_CAMPAIGN, false, "template does not exist; pause the campaign", 132001);
        put(m, Kind.PAUSE_CAMPAIGN, false, "template paused or disabled; pause the campaign, alert", 132015, 132016);
        put(m, Kind.RETRY_AFTER_24H, false, "per-user marketing limit; retry after 24 h", 131049);
        put(m, Kind.REUPLOAD_MEDIA, false, "media unknown, expired or not fetchable; upload again", 131053);
        return Map.copyOf(m);
    }

    private static void put(Map<Integer, Rule> m, Kind kind, boolean inDoubtOn5xx, String reason, int... codes) {
        for (int code : codes) {
            if (m.put(code, new Rule(kind, inDoubtOn5xx, reason)) != null) {
                throw new IllegalStateException("code " + code + " listed twice");
            }
        }
    }
}
