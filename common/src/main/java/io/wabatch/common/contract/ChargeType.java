package io.wabatch.common.contract;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Whether a message was charged, from the {@code pricing} of its statuses (whatsapp-api-facts §10). Since
 * 2025-07-01 (per-message pricing, {@code PMP}) the pricing's {@code type} decides: {@code regular} is
 * charged, {@code free_customer_service} and {@code free_entry_point} are not; Meta deprecated
 * {@code billable}. Older conversation-based statuses ({@code CBP}) have no type, so there {@code billable}
 * decides. When neither says, the message counts as charged: an estimate of cost should err high.
 */
public enum ChargeType {

    /** {@code type: regular}, or no type and {@code billable: true}: charged. */
    REGULAR("regular", true),
    /** {@code type: free_customer_service}: inside the customer service window, free. */
    FREE_CUSTOMER_SERVICE("free_customer_service", false),
    /** {@code type: free_entry_point}: after a free entry point (click-to-WhatsApp ad, ...), free. */
    FREE_ENTRY_POINT("free_entry_point", false),
    /** Free by another sign: a type this version does not know starting {@code free}, or no type and {@code billable: false}. */
    FREE_OTHER("free_other", false),
    /** Charged, for want of a sign it is free: an unknown type that is not {@code free...}, or neither type nor billable. */
    OTHER("other", true);

    /** The pricing categories this version knows (metrics count any other as {@code other}). */
    public static final List<String> CATEGORIES = List.of("marketing", "marketing_lite", "utility", "authentication",
            "authentication_international", "service");

    /** Every wire name, for metric tags. */
    public static final List<String> WIRE_NAMES = Stream.of(values()).map(ChargeType::wireName).toList();

    private final String wireName;
    private final boolean charged;

    ChargeType(String wireName, boolean charged) {
        this.wireName = wireName;
        this.charged = charged;
    }

    /** The lower-case name, e.g. {@code free_entry_point}. */
    public String wireName() {
        return wireName;
    }

    /** True when a message of this type is charged. */
    public boolean charged() {
        return charged;
    }

    /** The type of {@code pricing}, or null when there is no pricing (nothing to count). */
    public static ChargeType of(StatusEvent.Pricing pricing) {
        if (pricing == null) {
            return null;
        }
        String type = pricing.type() == null ? null : pricing.type().strip().toLowerCase(Locale.ROOT);
        if (type == null || type.isEmpty()) {
            return pricing.billable() == null ? OTHER : pricing.billable() ? REGULAR : FREE_OTHER;
        }
        return switch (type) {
            case "regular" -> REGULAR;
            case "free_customer_service" -> FREE_CUSTOMER_SERVICE;
            case "free_entry_point" -> FREE_ENTRY_POINT;
            default -> type.startsWith("free") || Boolean.FALSE.equals(pricing.billable()) ? FREE_OTHER : OTHER;
        };
    }

    /** The type named {@code wireName}, or null. */
    public static ChargeType byWireName(String wireName) {
        return Stream.of(values()).filter(t -> t.wireName.equals(wireName)).findFirst().orElse(null);
    }

    /** {@code category} if this version knows it, else {@code other}: the bounded value of a metric tag. */
    public static String categoryTag(String category) {
        return category != null && CATEGORIES.contains(category) ? category : "other";
    }
}
