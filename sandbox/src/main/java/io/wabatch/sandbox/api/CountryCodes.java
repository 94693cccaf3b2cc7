package io.wabatch.sandbox.api;

import java.util.Map;

/**
 * The ISO country a phone number's calling code belongs to, for the prefix of the BSUIDs the sandbox issues.
 * A short table of common codes: shared codes name their largest country ({@code 1}: US, {@code 7}: RU), and an
 * unknown code gives {@code ZZ} (ISO's code for an unknown country).
 */
final class CountryCodes {

    private static final Map<String, String> BY_CODE = Map.ofEntries(
            Map.entry("1", "US"), Map.entry("7", "RU"), Map.entry("20", "EG"), Map.entry("27", "ZA"),
            Map.entry("30", "GR"), Map.entry("31", "NL"), Map.entry("32", "BE"), Map.entry("33", "FR"),
            Map.entry("34", "ES"), Map.entry("36", "HU"), Map.entry("39", "IT"), Map.entry("40", "RO"),
            Map.entry("41", "CH"), Map.entry("43", "AT"), Map.entry("44", "GB"), Map.entry("45", "DK"),
            Map.entry("46", "SE"), Map.entry("47", "NO"), Map.entry("48", "PL"), Map.entry("49", "DE"),
            Map.entry("51", "PE"), Map.entry("52", "MX"), Map.entry("54", "AR"), Map.entry("55", "BR"),
            Map.entry("56", "CL"), Map.entry("57", "CO"), Map.entry("58", "VE"), Map.entry("60", "MY"),
            Map.entry("61", "AU"), Map.entry("62", "ID"), Map.entry("63", "PH"), Map.entry("64", "NZ"),
            Map.entry("65", "SG"), Map.entry("66", "TH"), Map.entry("81", "JP"), Map.entry("82", "KR"),
            Map.entry("84", "VN"), Map.entry("86", "CN"), Map.entry("90", "TR"), Map.entry("91", "IN"),
            Map.entry("92", "PK"), Map.entry("212", "MA"), Map.entry("234", "NG"), Map.entry("254", "KE"),
            Map.entry("351", "PT"), Map.entry("353", "IE"), Map.entry("358", "FI"), Map.entry("380", "UA"),
            Map.entry("420", "CZ"), Map.entry("852", "HK"), Map.entry("880", "BD"), Map.entry("966", "SA"),
            Map.entry("971", "AE"), Map.entry("972", "IL"));

    private CountryCodes() {
    }

    /** The two-letter country of phone {@code digits}: the longest known calling code they start with. */
    static String of(String digits) {
        for (int length = 3; length >= 1; length--) {
            if (digits.length() > length) {
                String country = BY_CODE.get(digits.substring(0, length));
                if (country != null) {
                    return country;
                }
            }
        }
        return "ZZ";
    }
}
