package io.wabatch.sandbox.api.rules;

import java.util.regex.Pattern;

/**
 * The form of a business-scoped user ID (BSUID, {@code whatsapp-api-facts.md} §10): a two-letter country code,
 * a dot and 1 to 128 letters or digits ({@code US.13491208655302741918}); a parent BSUID, shared by the
 * portfolios of one enterprise, has {@code ENT.} after the country ({@code US.ENT.11815799212886844830}).
 */
public final class UserIds {

    private static final Pattern BSUID = Pattern.compile("[A-Z]{2}\\.(ENT\\.)?[0-9A-Za-z]{1,128}");

    private UserIds() {
    }

    /** Whether {@code text} has the form of a BSUID or a parent BSUID. */
    public static boolean isUserId(String text) {
        return text != null && BSUID.matcher(text).matches();
    }

    /** Whether {@code text} has the form of a parent BSUID ({@code CC.ENT.…}). */
    public static boolean isParent(String text) {
        return isUserId(text) && text.startsWith(".ENT.", 2);
    }

    /**
     * The {@code recipient} of a message body.
     *
     * @throws ApiException 131009 naming the field when it is not a BSUID
     */
    static String recipient(String recipient) {
        if (!isUserId(recipient)) {
            throw new ApiException(ApiError.invalid("Parameter 'recipient' must be a business-scoped user ID: a"
                    + " two-letter country code, a dot and 1 to 128 letters or digits (e.g. US.13491208655302741918;"
                    + " parent IDs US.ENT.11815799212886844830), got '" + recipient + "'."));
        }
        return recipient;
    }
}
