package io.wabatch.common.contract;

import java.util.regex.Pattern;

/**
 * Business-scoped user IDs (whatsapp-api-facts §10): since 2026 every WhatsApp user has one per
 * business portfolio ({@code US.13491208655302741918}: a two-letter country code, a dot, up to 128
 * letters and digits), and parent BSUIDs shared across portfolios ({@code US.ENT.11815799212886844830}).
 * A user who adopts a username may hide their phone number; then the BSUID is the only address.
 * The API takes one as {@code recipient} instead of {@code to}.
 */
public final class Bsuids {

    private static final Pattern BSUID = Pattern.compile("[A-Z]{2}\\.(ENT\\.)?[A-Za-z0-9]{1,128}");

    private Bsuids() {
    }

    /** True when {@code value} has a BSUID's form (a parent BSUID included). */
    public static boolean isBsuid(String value) {
        return value != null && BSUID.matcher(value).matches();
    }

    /** Why {@code value} is not a BSUID, for a producer to act on. */
    static String problem(String value) {
        return "'" + mask(MessageRules.abbreviate(value)) + "' is not a business-scoped user ID: two capital "
                + "letters (the country), a dot, then up to 128 letters and digits, e.g. US.13491208655302741918 "
                + "(a parent BSUID: US.ENT.11815799212886844830)";
    }

    /**
     * Masks a BSUID for logs like a phone number: the country (and {@code ENT.}) and the last two
     * characters stay, e.g. {@code US.13491208655302741918} → {@code US.******************18}.
     */
    public static String mask(String bsuid) {
        int dot = bsuid.lastIndexOf('.');
        String prefix = dot < 0 ? "" : bsuid.substring(0, dot + 1);
        String id = bsuid.substring(dot + 1);
        if (id.length() < 6) {
            return prefix + "*".repeat(Math.max(id.length(), 1));
        }
        return prefix + "*".repeat(id.length() - 2) + id.substring(id.length() - 2);
    }
}
