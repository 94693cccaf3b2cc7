package io.wabatch.sandbox.api.stats;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What one accepted message costs under Meta's per-message pricing (since 2025-07-01), as its status webhooks
 * report it in {@code pricing}: a category and a type; only type {@value #REGULAR} is charged.
 *
 * @param category {@code marketing}, {@code marketing_lite}, {@code utility}, {@code authentication} or
 *                 {@code service} (see SANDBOX.md, Pricing, for how the sandbox decides)
 * @param type     {@value #REGULAR}, {@value #FREE_CUSTOMER_SERVICE} or {@value #FREE_ENTRY_POINT}
 */
public record Pricing(String category, String type) {

    /** The pricing model of every status since 2025-07-01: per-message pricing. */
    public static final String MODEL = "PMP";
    /** A charged message. */
    public static final String REGULAR = "regular";
    /** Free: a non-template message, or a utility template inside the customer's 24-hour window. */
    public static final String FREE_CUSTOMER_SERVICE = "free_customer_service";
    /** Free: any message while a free entry point window (click-to-WhatsApp ad, Page button) is open. */
    public static final String FREE_ENTRY_POINT = "free_entry_point";
    /** The types, charged first. */
    public static final List<String> TYPES = List.of(REGULAR, FREE_CUSTOMER_SERVICE, FREE_ENTRY_POINT);

    /** Canonical constructor: both parts are required. */
    public Pricing {
        if (category == null || category.isBlank()) {
            throw new IllegalArgumentException("pricing category is required");
        }
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("pricing type must be one of " + TYPES + ", got " + type);
        }
    }

    /** Whether the message is charged (type {@value #REGULAR}); Meta's deprecated {@code billable} says the same. */
    public boolean charged() {
        return REGULAR.equals(type);
    }

    /** {@code {"billable": .., "pricing_model": "PMP", "category": .., "type": ..}}, as a status carries it. */
    public ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("billable", charged()).put("pricing_model", MODEL)
                .put("category", category).put("type", type);
    }
}
