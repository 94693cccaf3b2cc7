package io.wabatch.sandbox.api;

import java.util.regex.Pattern;

/**
 * One WhatsApp business number the sandbox serves.
 *
 * @param id                         the phone-number ID: the Meta path segment and the stats key
 * @param displayPhone               the number as people read it
 * @param apiKey                     the 360dialog {@code D360-API-KEY} of this number, or {@code null} if it is
 *                                   Meta-only; unique across numbers (one key = one number)
 * @param accessToken                the Meta bearer token for this number, or {@code null} if it is 360dialog-only;
 *                                   several numbers may share one (a system-user token)
 * @param mps                        accepted messages per second before 130429 (default 80; changeable at runtime)
 * @param wabaId                     the WhatsApp Business Account the number belongs to: its template catalogue
 *                                   and the {@code entry[].id} of its webhooks; default the number's own id (each
 *                                   number an account of its own)
 * @param portfolioId                the business portfolio of the number's account, or {@code null}: the account
 *                                   stands alone. Numbers of one portfolio share its messaging limit and see a
 *                                   person under one business-scoped user ID (changeable at runtime)
 * @param marketingMessagesOnboarded whether the business accepted the Marketing Messages API terms, so that
 *                                   {@code /marketing_messages} serves this number (default false; changeable at
 *                                   runtime)
 */
public record SandboxNumber(String id, String displayPhone, String apiKey, String accessToken, int mps,
        String wabaId, String portfolioId, boolean marketingMessagesOnboarded) {

    /** Meta's default throughput per number. */
    public static final int DEFAULT_MPS = 80;

    private static final Pattern ID = Pattern.compile("[0-9A-Za-z._-]{1,64}");

    /** Validates: ids of letters, digits, {@code ._-}; at least one credential; mps ≥ 1. */
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
        wabaId = blank(wabaId) ? id : wabaId;
        if (!ID.matcher(wabaId).matches()) {
            throw new IllegalArgumentException("number " + id + ": waba_id must be 1-64 of [0-9A-Za-z._-], got '"
                    + wabaId + "'");
        }
        portfolioId = checkPortfolio(id, portfolioId);
        displayPhone = displayPhone == null ? id : displayPhone;
        apiKey = blank(apiKey) ? null : apiKey;
        accessToken = blank(accessToken) ? null : accessToken;
    }

    /** A number that is its own WhatsApp Business Account, of no portfolio, not onboarded to marketing messages. */
    public SandboxNumber(String id, String displayPhone, String apiKey, String accessToken, int mps) {
        this(id, displayPhone, apiKey, accessToken, mps, null, null, false);
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
        return new SandboxNumber(id, displayPhone, apiKey, accessToken, newMps, wabaId, portfolioId,
                marketingMessagesOnboarded);
    }

    /** This number in another WhatsApp Business Account ({@code null}: its own). */
    public SandboxNumber withWabaId(String newWabaId) {
        return new SandboxNumber(id, displayPhone, apiKey, accessToken, mps, newWabaId, portfolioId,
                marketingMessagesOnboarded);
    }

    /** This number in a business portfolio ({@code null}: none). */
    public SandboxNumber withPortfolioId(String newPortfolioId) {
        return new SandboxNumber(id, displayPhone, apiKey, accessToken, mps, wabaId, newPortfolioId,
                marketingMessagesOnboarded);
    }

    /** This number with the Marketing Messages API terms accepted or not. */
    public SandboxNumber withMarketingMessagesOnboarded(boolean onboarded) {
        return new SandboxNumber(id, displayPhone, apiKey, accessToken, mps, wabaId, portfolioId, onboarded);
    }

    /** Masks the credentials: they must never reach a log. */
    @Override
    public String toString() {
        return "SandboxNumber[id=" + id + ", displayPhone=" + displayPhone + ", apiKey=" + mask(apiKey)
                + ", accessToken=" + mask(accessToken) + ", mps=" + mps + ", wabaId=" + wabaId + ", portfolioId="
                + portfolioId + ", marketingMessagesOnboarded=" + marketingMessagesOnboarded + "]";
    }

    /** A portfolio id as configured: blank is none; otherwise of the id alphabet. */
    static String checkPortfolio(String numberId, String portfolioId) {
        if (blank(portfolioId)) {
            return null;
        }
        if (!ID.matcher(portfolioId).matches()) {
            throw new IllegalArgumentException("number " + numberId + ": portfolio_id must be 1-64 of"
                    + " [0-9A-Za-z._-], got '" + portfolioId + "'");
        }
        return portfolioId;
    }

    private static String mask(String secret) {
        return secret == null ? "none" : "****";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
