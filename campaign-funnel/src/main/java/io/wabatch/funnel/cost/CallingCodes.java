package io.wabatch.funnel.cost;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.wabatch.common.contract.Bsuids;

/**
 * The country calling code of a message's recipient, which prices it: from the phone number
 * ({@code 4915123456789} → 49) with libphonenumber, else from a business-scoped user ID's two-letter
 * country ({@code DE.1349...} → 49, the region's calling code). Null when neither tells one (no
 * recipient, an unknown region): the rate card's default prices apply. A BSUID's country is where the
 * user registered, which may differ from the number Meta prices by; it is the best sign when the number
 * is hidden.
 */
public final class CallingCodes {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private CallingCodes() {
    }

    /** The calling code of {@code number} (E.164 digits) if given, else of {@code bsuid}; null when unknown. */
    public static Integer of(String number, String bsuid) {
        Integer code = ofNumber(number);
        return code != null ? code : ofBsuid(bsuid);
    }

    /** The calling code of E.164 digits ({@code +} and formatting allowed), or null. */
    static Integer ofNumber(String number) {
        if (number == null) {
            return null;
        }
        String digits = number.replaceAll("\\D", "");
        if (digits.isEmpty()) {
            return null;
        }
        try {
            int code = UTIL.parse("+" + digits, "ZZ").getCountryCode();
            return code == 0 ? null : code;
        } catch (NumberParseException e) {
            return null;
        }
    }

    /** The calling code of the BSUID's country ({@code US.…}, {@code US.ENT.…} → 1), or null. */
    static Integer ofBsuid(String bsuid) {
        if (!Bsuids.isBsuid(bsuid)) {
            return null;
        }
        int code = UTIL.getCountryCodeForRegion(bsuid.substring(0, 2));
        return code == 0 ? null : code;
    }
}
