package io.wabatch.common.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One event of the platform about an account, a number, a template or a user's preferences, from a
 * webhook field other than {@code messages} (whatsapp-api-facts §11), as written by the webhook
 * receiver to {@code wa.platform.events} (key: the WhatsApp Business Account id, so one account's
 * events keep their order: PAUSED, then APPROVED).
 *
 * @param field      the webhook field: {@value #USER_PREFERENCES}, {@value #TEMPLATE_STATUS},
 *                   {@value #TEMPLATE_CATEGORY}, {@value #TEMPLATE_QUALITY}, {@value #PHONE_QUALITY},
 *                   {@value #CAPABILITY}, {@value #ACCOUNT_UPDATE}, or another the receiver passes on as it came
 * @param event      what happened, as the platform names it: {@code stop}/{@code resume} (user preferences),
 *                   {@code PAUSED}, {@code APPROVED}, ... (template status), {@code IMPENDING}/{@code COMPLETED}
 *                   (category update), the new quality score ({@code GREEN}, {@code YELLOW}, {@code RED}), the
 *                   number's event ({@code FLAGGED}, {@code THROUGHPUT_UPGRADE}, ...), the account's event
 *                   ({@code ACCOUNT_RESTRICTION}, {@code MM_LITE_TERMS_SIGNED}, ...); null when the value names none
 * @param wabaId     the WhatsApp Business Account ({@code entry[].id}); the record's key
 * @param dedupeKey  the same for every delivery of the same event: the subject's id and the event time where
 *                   the value has them, else a hash of the change's value
 * @param at         when the platform says it happened, or null (then {@code receivedAt} stands for it)
 * @param receivedAt when the receiver took the webhook
 * @param subject    whom or what it is about
 * @param details    the other fields of the value, by their names (e.g. {@code reason}, {@code new_category},
 *                   {@code restriction_type}, {@code expiration}), as text
 * @param raw        the change's {@code value} as it came (for {@code user_preferences}, its one entry; for a
 *                   value-level error of {@code messages}, the error)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlatformEvent(String field, String event, String wabaId, String dedupeKey, Instant at,
                            Instant receivedAt, Subject subject, Map<String, String> details, JsonNode raw) {

    public static final String USER_PREFERENCES = "user_preferences";
    public static final String TEMPLATE_STATUS = "message_template_status_update";
    public static final String TEMPLATE_CATEGORY = "template_category_update";
    public static final String TEMPLATE_QUALITY = "message_template_quality_update";
    public static final String PHONE_QUALITY = "phone_number_quality_update";
    public static final String CAPABILITY = "business_capability_update";
    public static final String ACCOUNT_UPDATE = "account_update";

    /**
     * Whom or what an event is about; each part null where the event does not name it.
     *
     * @param phoneNumberId      the business number's id ({@code metadata.phone_number_id})
     * @param displayPhoneNumber the business number as displayed (quality updates name the number only so)
     * @param templateId         the template's id
     * @param templateName       the template's name
     * @param templateLanguage   the template's language code
     * @param userPhone          the user's number ({@code wa_id}), digits
     * @param userId             the user's business-scoped user ID
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Subject(String phoneNumberId, String displayPhoneNumber, String templateId, String templateName,
                          String templateLanguage, String userPhone, String userId) {

        public static final Subject NONE = new Subject(null, null, null, null, null, null, null);
    }

    public PlatformEvent {
        subject = subject == null ? Subject.NONE : subject;
        details = details == null ? Map.of() : new TreeMap<>(details);
    }

    /** A detail by name, or null. */
    public String detail(String name) {
        return details.get(name);
    }

    /** The platform's time of the event, else when it was received. */
    public Instant when() {
        return at != null ? at : receivedAt;
    }

    public static PlatformEvent decode(byte[] json) throws IOException {
        return Json.read(json, PlatformEvent.class);
    }
}
