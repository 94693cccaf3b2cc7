package io.wabatch.common.api;

import java.util.Objects;

/**
 * The API's {@code 200} answer to {@code POST messages}. Acceptance, not delivery: the message can
 * still fail later, reported by a status webhook for the same {@code wamid} (facts §2).
 *
 * @param wamid         {@code messages[0].id}, the WhatsApp message id
 * @param waId          {@code contacts[0].wa_id}, the recipient's WhatsApp id; null when absent
 * @param messageStatus {@code messages[0].message_status} (e.g. {@code accepted}); null when absent
 * @param userId        {@code contacts[0].user_id}, the recipient's business-scoped user ID (2026); null when
 *                      absent
 */
public record MessageAccepted(String wamid, String waId, String messageStatus, String userId) {

    public MessageAccepted {
        Objects.requireNonNull(wamid, "wamid");
    }

    /** An answer without a business-scoped user ID. */
    public MessageAccepted(String wamid, String waId, String messageStatus) {
        this(wamid, waId, messageStatus, null);
    }
}
