package io.wabatch.sandbox.api;

import java.util.regex.Pattern;

/**
 * One WhatsApp business number the sandbox serves.
 *
 * @param id           the phone-number ID: the Meta path segment and the stats key
 * @param displayPhone the number as people read it
 * @param apiKey       the 360dialog {@code D360-API-KEY} of this number, or {@code null} if it is Meta-only;
 *                     unique across numbers (one key = one number)
 * @param accessToken  the Meta bearer token for this number, or {@code null} if it is 360dialog-only;
 *                     several numbers may share one (a system-user token)
 * @param mps          accepted messages per second before 130429 (default 80; changeable at runtime)
 */
public record SandboxNumber(String id, String displayPhone, String apiKey, String accessToken, int mps) {

    /** Meta's default throughput per number. */
    public static final int DEFAULT_MPS = 80;

    private static final Pattern ID = Pattern.compile("[0-9A-Za-z._-]{1,64}");

    /** Validates: id of letters, digits, {@code ._-}; at least one credential; mps ≥ 1. */
    public SandboxNumber {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("numbers[].id must be 1-64 of [0-9A-Za-z._-], got '" + id + "'");
        }
        if (blank(apiKey) && blank(accessToken)) {
            throw new IllegalArgumentException("number " + id + " needs an api_key (360dialog) or an"
                    + " access_token (Meta)");
        }
        if (mps < 1) {
            throw new IllegalArgumentException("number " + id + ": mps must be at least 1, got " + mps);
        }
        displayPhone = displayPhone == null ? id : displayPhone;
        apiKey = blank(apiKey) ? null : apiKey;
        accessToken = blank(accessToken) ? null : accessToken;
    }

    /** A 360dialog number (API key only) at the default pace. */
    public static SandboxNumber d360(String id, String displayPhone, String apiKey) {
        return new SandboxNumber(id, displayPhone, apiKey, null, DEFAULT_MPS);
    }

    /** A Meta Cloud API number (bearer token only) at the default pace. */
    public static SandboxNumber meta(String id, String displayPhone, String accessToken) {
        return new SandboxNumber(id, displayPhone, null, accessToken, DEFAULT_MPS);
    }

    /** This number with another pace. */
    public SandboxNumber withMps(int newMps) {
        return new SandboxNumber(id, displayPhone, apiKey, accessToken, newMps);
    }

    /** Masks the credentials: they must never reach a log. */
    @Override
    public String toString() {
        return "SandboxNumber[id=" + id + ", displayPhone=" + displayPhone + ", apiKey=" + mask(apiKey)
                + ", accessToken=" + mask(accessToken) + ", mps=" + mps + "]";
    }

    private static String mask(String secret) {
        return secret == null ? "none" : "****";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
