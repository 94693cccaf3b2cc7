package io.wabatch.sandbox.api;

import io.wabatch.sandbox.api.rules.ApiError;
import io.wabatch.sandbox.api.rules.ApiException;
import io.wabatch.sandbox.api.rules.UserIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The business-scoped user IDs (BSUIDs) the sandbox issued. A person's BSUID is a function of their phone digits
 * and the business (the number's portfolio, or its WhatsApp Business Account when it has none), so the same
 * person has one BSUID for every number of a portfolio and another one in every other portfolio; a parent BSUID
 * depends on the digits alone. Issued IDs are remembered (for the life of the server, across resets, as a real
 * person's identity outlives a test's record) so that a message to one reaches the person behind it. A BSUID
 * never issued is a user who hides their phone number (a username user): its recipient key is the BSUID itself.
 * Thread-safe.
 */
final class BusinessUsers {

    /** Whom an issued BSUID names: a person of {@code business} ({@code null} for a parent BSUID). */
    private record Person(String business, String digits) {
    }

    private final Map<String, Person> issued = new ConcurrentHashMap<>();

    /** The BSUID of the person with phone {@code digits} for {@code business}; remembered. */
    String issue(String business, String digits) {
        String bsuid = CountryCodes.of(digits) + "." + digitsOf("user|" + business + "|" + digits);
        issued.putIfAbsent(bsuid, new Person(business, digits));
        return bsuid;
    }

    /** The parent BSUID of the person with phone {@code digits}, the same for every portfolio; remembered. */
    String issueParent(String digits) {
        String bsuid = CountryCodes.of(digits) + ".ENT." + digitsOf("parent|" + digits);
        issued.putIfAbsent(bsuid, new Person(null, digits));
        return bsuid;
    }

    /**
     * The recipient a message of a number of {@code business} names.
     *
     * @param business  the sending number's {@link NumberState#businessKey()}
     * @param waId      the digits of {@code to}, or null
     * @param recipient the BSUID of {@code recipient} (used only without {@code to})
     * @throws ApiException 131009 for a BSUID the sandbox issued for another business
     */
    Recipient recipient(String business, String waId, String recipient) {
        if (waId != null) {
            return new Recipient(waId, issue(business, waId));
        }
        Person person = issued.get(recipient);
        if (person == null) {
            return new Recipient(null, recipient);
        }
        if (person.business() != null && !person.business().equals(business)) {
            throw new ApiException(ApiError.invalid("Parameter 'recipient': business-scoped user ID '" + recipient
                    + "' belongs to another business portfolio; a BSUID is valid only for the numbers of the"
                    + " portfolio it was issued for (a parent BSUID for all of them)."));
        }
        return new Recipient(person.digits(), recipient);
    }

    /** A customer as written in {@code from} of an inbound message: a phone number (any formatting) or a BSUID. */
    Recipient customer(String business, String from) {
        if (UserIds.isUserId(from)) {
            Person person = issued.get(from);
            String digits = person != null && (person.business() == null || person.business().equals(business))
                    ? person.digits() : null;
            return new Recipient(digits, from);
        }
        String digits = from.replaceAll("\\D", "");
        return new Recipient(digits, issue(business, digits));
    }

    /** Twenty decimal digits (as in Meta's examples) from the SHA-256 of {@code seed}. */
    private static String digitsOf(String seed) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = value << 8 | (hash[i] & 0xFF);
            }
            String text = Long.toUnsignedString(value);
            return "0".repeat(20 - text.length()) + text;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
