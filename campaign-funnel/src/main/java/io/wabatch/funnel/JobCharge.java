package io.wabatch.funnel;

import io.wabatch.common.contract.ChargeType;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.funnel.cost.CallingCodes;
import io.wabatch.funnel.cost.RateCard;
import java.math.BigDecimal;
import java.util.Comparator;

/**
 * How a job's message was priced, from the {@code pricing} of one of its statuses: a message is charged
 * (or free) once, however many of its statuses carry pricing and however often each is delivered. Of
 * several statuses the furthest (read over delivered over sent) decides, and between two of the same
 * stage a fixed order does, so the result does not depend on the order webhooks arrive in.
 *
 * @param type    the {@link ChargeType}'s wire name
 * @param charged whether the message is charged
 * @param stage   the status that priced it: 0 failed (or other), 1 sent, 2 delivered, 3 read
 * @param price   the rate card's price of this charged message when it was priced, or null (free, no rate
 *                card, or no price for its calling code and category); kept, so the counts subtract exactly
 *                what they added even if the rate card changes
 */
record JobCharge(String type, boolean charged, int stage, BigDecimal price) {

    /** The category of a pricing without one. */
    static final String UNKNOWN_CATEGORY = "unknown";

    private static final Comparator<Priced> ORDER = Comparator.<Priced>comparingInt(p -> p.charge.stage)
            .thenComparing(p -> p.charge.charged)
            .thenComparing(p -> p.category)
            .thenComparing(p -> p.charge.type);

    /** A charge with its category. */
    record Priced(String category, JobCharge charge) {
    }

    /** The charge a status's pricing gives, priced by {@code card} (null: no rate card); null without pricing. */
    static Priced of(StatusEvent status, RateCard card) {
        ChargeType type = ChargeType.of(status.pricing());
        if (type == null) {
            return null;
        }
        String category = status.pricing().category() == null ? UNKNOWN_CATEGORY : status.pricing().category();
        BigDecimal price = type.charged() && card != null
                ? card.price(CallingCodes.of(status.recipient(), status.recipientUserId()), category) : null;
        return new Priced(category, new JobCharge(type.wireName(), type.charged(), stage(status.status()), price));
    }

    /** True when {@code next} should replace {@code current} (null: nothing priced yet). */
    static boolean replaces(Priced next, Priced current) {
        return current == null || ORDER.compare(next, current) > 0;
    }

    private static int stage(String status) {
        return switch (status) {
            case StatusEvent.SENT -> 1;
            case StatusEvent.DELIVERED -> 2;
            case StatusEvent.READ -> 3;
            default -> 0;
        };
    }
}
