package io.wabatch.sandbox.api.rules;

import java.util.regex.Pattern;

/** The recipient rule: digits after stripping {@code +}, spaces, dashes and parentheses; 7 to 15 of them. */
public final class PhoneNumbers {

    private static final Pattern SEPARATORS = Pattern.compile("[+\\s()-]");
    private static final Pattern DIGITS = Pattern.compile("\\d{7,15}");

    private PhoneNumbers() {
    }

    /**
     * The WhatsApp ID ({@code wa_id}) of a recipient as sent in {@code to}.
     *
     * @throws ApiException 131009 when it is not a plausible phone number
     */
    public static String digits(String to) {
        String digits = SEPARATORS.matcher(to).replaceAll("");
        if (!DIGITS.matcher(digits).matches()) {
            throw new ApiException(ApiError.invalid("Parameter 'to' must be a phone number of 7 to 15 digits"
                    + " (optionally with +, spaces, dashes, parentheses), got '" + to + "'."));
        }
        return digits;
    }
}
