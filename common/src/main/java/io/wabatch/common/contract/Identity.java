package io.wabatch.common.contract;

import java.io.IOException;
import java.time.Instant;

/**
 * One person known two ways ({@code wa.identities}, key: the business-scoped user ID): the phone
 * number behind a BSUID, learned from a webhook that carried both (a status's {@code recipient_id}
 * and {@code recipient_user_id}, a message's {@code from} and {@code from_user_id}). Senders resolve
 * through it, so what is known of a person under one (an opt-out) applies under the other.
 *
 * @param userId the business-scoped user ID
 * @param phone  the number in E.164 digits, or, after a BSUID change that shared no number
 *               ({@code user_changed_user_id}), the person's previous BSUID, which leads to it; mask it in logs
 * @param source what carried both, e.g. {@code status} or {@code inbound}
 * @param seenAt when it was learned
 */
public record Identity(String userId, String phone, String source, Instant seenAt) {

    public static Identity decode(byte[] json) throws IOException {
        return Json.read(json, Identity.class);
    }
}
