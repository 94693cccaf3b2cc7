package io.wabatch.sandbox.api;

import io.wabatch.sandbox.api.rules.ApiError;
import io.wabatch.sandbox.api.rules.ApiException;
import io.wabatch.sandbox.api.rules.UserIds;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The business-scoped user IDs (BSUIDs) the sandbox gives people. A person's BSUID is a function of their phone
 * digits and the business (the number's portfolio, or its WhatsApp Business Account when it has none): the
 * country of the calling code, a dot and 20 digits, an invertible affine map modulo 10^20 of the digits (and
 * their count) shifted by an offset drawn from the business. So the same person has one BSUID for every number
 * of a portfolio and another one in every other portfolio, and a parent BSUID ({@code CC.ENT.…}) depends on the
 * digits alone.
 *
 * <p>Because the map is invertible the sandbox "remembers" every BSUID it ever gave out without storing any: a
 * BSUID is resolved by inverting the map with the sending number's business (that person), else with every
 * other business of the configured numbers (a BSUID of another portfolio), else it is a user the sandbox never
 * gave an ID to, who hides their phone number (a username user; the chance that a made-up ID inverts to a
 * plausible phone of the right country is below 10^-5). Memory stays flat however many people are messaged.
 * Thread-safe.
 */
final class BusinessUsers {

    private static final BigInteger MODULUS = BigInteger.TEN.pow(20);
    /** Odd and not a multiple of 5, so invertible modulo 10^20. */
    private static final BigInteger MULTIPLIER = new BigInteger("61803398874989484821");
    private static final BigInteger INVERSE = MULTIPLIER.modInverse(MODULUS);
    private static final long LENGTH_UNIT = 1_000_000_000_000_000L;
    /** What {@link #encode} maps: at most 15 digits, their count times 10^15 in front. */
    private static final BigInteger LARGEST = BigInteger.valueOf(16 * LENGTH_UNIT);
    private static final Pattern TWENTY_DIGITS = Pattern.compile("\\d{20}");

    private final Supplier<Collection<String>> businesses;
    private final Map<String, BigInteger> offsets = new ConcurrentHashMap<>();

    /** @param businesses the business keys of the configured numbers now ({@link NumberState#businessKey()}) */
    BusinessUsers(Supplier<Collection<String>> businesses) {
        this.businesses = businesses;
    }

    /** The BSUID of the person with phone {@code digits} (7 to 15) for {@code business}. */
    String issue(String business, String digits) {
        return CountryCodes.of(digits) + "." + encode(offset("user|" + business), digits);
    }

    /** The parent BSUID of the person with phone {@code digits}, the same for every portfolio. */
    String issueParent(String digits) {
        return CountryCodes.of(digits) + ".ENT." + encode(offset("parent"), digits);
    }

    /**
     * The recipient a message of a number of {@code business} names.
     *
     * @param business  the sending number's {@link NumberState#businessKey()}
     * @param waId      the digits of {@code to}, or null
     * @param recipient the BSUID of {@code recipient} (used only without {@code to})
     * @throws ApiException 131009 for a BSUID the sandbox gave a person of another business
     */
    Recipient recipient(String business, String waId, String recipient) {
        if (waId != null) {
            return new Recipient(waId, issue(business, waId));
        }
        String digits = phoneOf(business, recipient);
        if (digits == null && !UserIds.isParent(recipient) && ofAnotherBusiness(business, recipient)) {
            throw new ApiException(ApiError.invalid("Parameter 'recipient': business-scoped user ID '" + recipient
                    + "' belongs to another business portfolio; a BSUID is valid only for the numbers of the"
                    + " portfolio it was issued for (a parent BSUID for all of them)."));
        }
        return new Recipient(digits, recipient);
    }

    /** A customer as written in {@code from} of an inbound message: a phone number (any formatting) or a BSUID. */
    Recipient customer(String business, String from) {
        if (UserIds.isUserId(from)) {
            return new Recipient(phoneOf(business, from), from);
        }
        String digits = from.replaceAll("\\D", "");
        return new Recipient(digits, issue(business, digits));
    }

    /** The phone digits behind a BSUID of {@code business} (or a parent BSUID), or null for none. */
    private String phoneOf(String business, String bsuid) {
        String country = bsuid.substring(0, 2);
        return UserIds.isParent(bsuid) ? decode(offset("parent"), country, bsuid.substring(7))
                : decode(offset("user|" + business), country, bsuid.substring(3));
    }

    private boolean ofAnotherBusiness(String business, String bsuid) {
        for (String other : businesses.get()) {
            if (!other.equals(business) && decode(offset("user|" + other), bsuid.substring(0, 2),
                    bsuid.substring(3)) != null) {
                return true;
            }
        }
        return false;
    }

    /** Twenty digits: (count × 10^15 + digits) × multiplier + offset, modulo 10^20. */
    private static String encode(BigInteger offset, String digits) {
        long value = digits.length() * LENGTH_UNIT + Long.parseLong(digits);
        String text = BigInteger.valueOf(value).multiply(MULTIPLIER).add(offset).mod(MODULUS).toString();
        return "0".repeat(20 - text.length()) + text;
    }

    /** The digits {@link #encode} made {@code number} from, if it made it and they belong to {@code country}. */
    private static String decode(BigInteger offset, String country, String number) {
        if (!TWENTY_DIGITS.matcher(number).matches()) {
            return null;
        }
        BigInteger inverted = new BigInteger(number).subtract(offset).multiply(INVERSE).mod(MODULUS);
        if (inverted.compareTo(LARGEST) > 0) {
            return null;
        }
        long value = inverted.longValue();
        long length = value / LENGTH_UNIT;
        long phone = value % LENGTH_UNIT;
        if (length < 7 || length > 15 || phone >= BigInteger.TEN.pow((int) length).longValue()) {
            return null;
        }
        String text = Long.toString(phone);
        String digits = "0".repeat((int) length - text.length()) + text;
        return CountryCodes.of(digits).equals(country) ? digits : null;
    }

    private BigInteger offset(String seed) {
        return offsets.computeIfAbsent(seed, BusinessUsers::hash);
    }

    private static BigInteger hash(String seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, digest).mod(MODULUS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
