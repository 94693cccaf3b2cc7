package io.wabatch.sandbox.api;

import io.wabatch.sandbox.api.stats.Pricing;
import java.util.Locale;

/**
 * Meta's per-message pricing (since 2025-07-01) as the sandbox applies it to a message it accepts; one pure
 * function (SANDBOX.md, Pricing, has the table and its sources).
 *
 * <ul>
 *   <li>Category: a non-template message is {@code service}; a template has its catalogue category in lower case
 *       ({@code marketing}, {@code utility}, {@code authentication}), a marketing template sent through the
 *       Marketing Messages API {@code marketing_lite}; a template the sandbox cannot look up (its account has no
 *       catalogue) counts as {@code marketing}, what a campaign sends unless told otherwise.</li>
 *   <li>Type: {@code free_entry_point} while the person's free entry point window with the number is open (every
 *       message is free then); else {@code free_customer_service} for a non-template message and for a utility
 *       template inside the person's 24-hour window; else {@code regular} (charged).</li>
 * </ul>
 */
final class PricingRules {

    static final String SERVICE = "service";
    static final String MARKETING = "marketing";
    static final String MARKETING_LITE = "marketing_lite";
    static final String UTILITY = "utility";

    private PricingRules() {
    }

    /**
     * The pricing of one accepted message.
     *
     * @param messageType       the message's {@code type} ({@code template}, {@code text}, ...)
     * @param templateCategory  the catalogue's category of the template (MARKETING, UTILITY, AUTHENTICATION), or
     *                          null when the account has no catalogue or the message is no template
     * @param marketingEndpoint whether it came through {@code /marketing_messages}
     * @param windowOpen        whether the person wrote to the number within the customer service window
     * @param entryPointOpen    whether the person's free entry point window with the number is open
     */
    static Pricing decide(String messageType, String templateCategory, boolean marketingEndpoint,
            boolean windowOpen, boolean entryPointOpen) {
        String category = category(messageType, templateCategory, marketingEndpoint);
        String type;
        if (entryPointOpen) {
            type = Pricing.FREE_ENTRY_POINT;
        } else if (category.equals(SERVICE) || category.equals(UTILITY) && windowOpen) {
            type = Pricing.FREE_CUSTOMER_SERVICE;
        } else {
            type = Pricing.REGULAR;
        }
        return new Pricing(category, type);
    }

    /** The pricing category alone (see the class comment). */
    static String category(String messageType, String templateCategory, boolean marketingEndpoint) {
        if (!"template".equals(messageType)) {
            return SERVICE;
        }
        String category = templateCategory == null ? MARKETING : templateCategory.toLowerCase(Locale.ROOT);
        return category.equals(MARKETING) && marketingEndpoint ? MARKETING_LITE : category;
    }

    /** Whether a message of this pricing category is a marketing message (what a user's opt-out stops). */
    static boolean marketing(String category) {
        return category.equals(MARKETING) || category.equals(MARKETING_LITE);
    }
}
