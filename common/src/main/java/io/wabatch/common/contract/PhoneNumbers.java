package io.wabatch.common.contract;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.regex.Pattern;

/**
 * Normalises recipients to E.164 digits (the form of WhatsApp's {@code wa_id}) with Google's
 * libphonenumber. Numbers must be international: {@code +49 151 2345 6789}, {@code 0049...} or
 * bare digits with the country code. The check is "possible number" (valid length for the
 * country code), not "valid number": number ranges change faster than any library's metadata,
 * and WhatsApp itself is the judge of whether a number has an account.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern FORMATTING = Pattern.compile("[\\s().\\-/]");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,20}");

    private PhoneNumbers() {
    }

    /** The outcome of normalising one number: digits, or a reason it cannot be used. */
    public record Normalised(String digits, String problem) {
        public boolean ok() {
            return digits != null;
        }
    }

    /** Normalises {@code input}; never throws. */
    public static Normalised normalise(String input) {
        if (input == null || input.isBlank()) {
            return new Normalised(null, "is empty");
        }
        String compact = FORMATTING.matcher(input.strip()).replaceAll("");
        if (compact.startsWith("+")) {
            compact = compact.substring(1);
        } else if (compact.startsWith("00")) {
            compact = compact.substring(2);
        }
        if (!DIGITS.matcher(compact).matches()) {
            return new Normalised(null, "'" + mask(MessageRules.abbreviate(input))
                    + "' is not a phone number: use international format, e.g. +49 151 23456789");
        }
        return check(input, compact);
    }

    private static Normalised check(String input, String digits) {
        try {
            PhoneNumber number = UTIL.parse("+" + digits, "ZZ");
            if (!UTIL.isPossibleNumber(number)) {
                return new Normalised(null, "'" + mask(input) + "' has the wrong length for country code +"
                        + number.getCountryCode());
            }
            return new Normalised(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1), null);
        } catch (NumberParseException e) {
            return new Normalised(null, "'" + mask(input) + "' is not a phone number in international format: "
                    + e.getErrorType().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }

    /**
     * Masks a recipient for logs: of a number the country code and the last two digits stay, e.g.
     * {@code 4915123456789} → {@code 49*********89}; a business-scoped user ID is masked by
     * {@link Bsuids#mask}.
     */
    public static String mask(String phone) {
        if (phone == null) {
            return "null";
        }
        if (Bsuids.isBsuid(phone)) {
            return Bsuids.mask(phone);
        }
        String digits = phone.replaceAll("\\D", "");
        if (digits.length() < 6) {
            return "*".repeat(Math.max(digits.length(), 1));
        }
        return digits.substring(0, 2) + "*".repeat(digits.length() - 4) + digits.substring(digits.length() - 2);
    }
}
