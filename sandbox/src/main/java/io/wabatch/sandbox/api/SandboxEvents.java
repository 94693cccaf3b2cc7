package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.wabatch.sandbox.Blocking;
import java.time.Duration;
import java.time.Instant;

/**
 * The Java face of {@code POST /_sandbox/events} ({@link SandboxServer#events()}): each method makes the sandbox act
 * on one platform event where the API would, posts it signed to the webhook URL of {@link
 * SandboxServer#setWebhooks(String)} (once, not retried), and returns when the receiver answered, with its status.
 * With webhooks off the sandbox still acts and {@link PostedEvent#status()} is null. Blocking: not for an event
 * loop. {@link IllegalArgumentException} for an unknown number or account, or a bad parameter.
 */
public final class SandboxEvents {

    private static final long TIMEOUT_SECONDS = 30;

    private final PlatformEvents events;

    SandboxEvents(SandboxState state) {
        this.events = new PlatformEvents(state);
    }

    /**
     * Any event, as the body of {@code POST /_sandbox/events}: {@code params} names the account ({@code "number"} or
     * {@code "waba_id"}) and carries the field's parameters (SANDBOX.md lists them), or {@code "value"} to post as is.
     */
    public PostedEvent post(String field, ObjectNode params) {
        ObjectNode request = params.deepCopy();
        request.put("field", field);
        PlatformEvents.Prepared prepared = events.prepare(request);
        return PostedEvent.fromJson(await(events.post(prepared)));
    }

    /** {@code value} posted as is under {@code field} for account {@code wabaId} (odd shapes for receiver tests). */
    public PostedEvent raw(String wabaId, String field, JsonNode value) {
        return post(field, params().put("waba_id", wabaId).set("value", value));
    }

    /**
     * {@code message_template_status_update}: {@code event} PAUSED, DISABLED, REJECTED, ... changes the template's
     * status in the account's catalogue (sends then fail 132015, 132016, 132001); APPROVED restores it.
     */
    public PostedEvent templateStatus(String wabaId, String name, String language, String event) {
        return post("message_template_status_update", params().put("waba_id", wabaId).put("name", name)
                .put("language", language).put("event", event));
    }

    /** {@code template_category_update}, completed: the catalogue's template now has {@code newCategory}. */
    public PostedEvent templateCategoryChanged(String wabaId, String name, String language, String newCategory) {
        return post("template_category_update", params().put("waba_id", wabaId).put("name", name)
                .put("language", language).put("new_category", newCategory));
    }

    /** {@code template_category_update}, impending: {@code correctCategory} from {@code at}; nothing changes yet. */
    public PostedEvent templateCategoryImpending(String wabaId, String name, String language, String correctCategory,
            Instant at) {
        return post("template_category_update", params().put("waba_id", wabaId).put("name", name)
                .put("language", language).put("correct_category", correctCategory)
                .put("category_update_timestamp", at.getEpochSecond()));
    }

    /** {@code message_template_quality_update} (GREEN, YELLOW, RED, UNKNOWN); nothing changes. */
    public PostedEvent templateQuality(String wabaId, String name, String language, String previous, String next) {
        return post("message_template_quality_update", params().put("waba_id", wabaId).put("name", name)
                .put("language", language).put("previous_quality_score", previous).put("new_quality_score", next));
    }

    /**
     * {@code user_preferences}: {@code user} (phone or BSUID) says {@code "stop"} or {@code "resume"} to marketing
     * messages from the number; after stop its marketing templates to them are accepted and fail with 131050.
     */
    public PostedEvent userPreference(String numberId, String user, String preference) {
        return post("user_preferences", params().put("number", numberId).put("user", user)
                .put("preference", preference));
    }

    /** {@code phone_number_quality_update} THROUGHPUT_UPGRADE with Meta's one-minute upgrade. */
    public PostedEvent throughputUpgrade(String numberId) {
        return throughputUpgrade(numberId, PlatformEvents.UPGRADE_WINDOW);
    }

    /**
     * {@code phone_number_quality_update} THROUGHPUT_UPGRADE: the number answers 131057 for {@code window}, then
     * takes 1,000 messages per second.
     */
    public PostedEvent throughputUpgrade(String numberId, Duration window) {
        return post("phone_number_quality_update", params().put("number", numberId).put("event", "THROUGHPUT_UPGRADE")
                .put("upgrade_window", window.toMillis()));
    }

    /** {@code phone_number_quality_update} of another event (FLAGGED, DOWNGRADE, ...); nothing changes. */
    public PostedEvent phoneNumberQuality(String numberId, String event, String maxDailyConversations) {
        ObjectNode params = params().put("number", numberId).put("event", event);
        if (maxDailyConversations != null) {
            params.put("max_daily_conversations_per_business", maxDailyConversations);
        }
        return post("phone_number_quality_update", params);
    }

    /** {@code business_capability_update}: the account's messaging limit becomes {@code maxDaily} (-1: none). */
    public PostedEvent businessCapability(String wabaId, int maxDaily) {
        return post("business_capability_update", params().put("waba_id", wabaId)
                .put("max_daily_conversations_per_business", maxDaily));
    }

    /**
     * {@code account_update} ACCOUNT_RESTRICTION of {@code type} until {@code expiry}: with
     * RESTRICTED_BIZ_INITIATED_MESSAGING the account's messages outside the person's 24-hour window fail with 368.
     */
    public PostedEvent accountRestriction(String wabaId, String type, Instant expiry) {
        long millis = Math.max(0, expiry.toEpochMilli() - System.currentTimeMillis());
        return post("account_update", params().put("waba_id", wabaId).put("event", "ACCOUNT_RESTRICTION")
                .put("restriction_type", type).put("expires_in", millis));
    }

    /** {@code account_update} DISABLED_UPDATE: DISABLE refuses every send with 368 until REINSTATE. */
    public PostedEvent accountDisabled(String wabaId, String banState) {
        return post("account_update", params().put("waba_id", wabaId).put("event", "DISABLED_UPDATE")
                .put("ban_state", banState));
    }

    /** {@code account_update} MM_LITE_TERMS_SIGNED: the account's numbers may use the Marketing Messages API. */
    public PostedEvent marketingTermsSigned(String wabaId) {
        return post("account_update", params().put("waba_id", wabaId).put("event", "MM_LITE_TERMS_SIGNED"));
    }

    /** A {@code system} message {@code user_changed_number} from {@code oldPhone} to {@code newPhone}. */
    public PostedEvent userChangedNumber(String numberId, String oldPhone, String newPhone) {
        return post("messages", params().put("number", numberId).put("system", "user_changed_number")
                .put("user", oldPhone).put("new_phone", newPhone));
    }

    /** A {@code system} message {@code user_changed_user_id}: {@code user}'s BSUID changed (no phone number in it). */
    public PostedEvent userChangedUserId(String numberId, String user) {
        return post("messages", params().put("number", numberId).put("system", "user_changed_user_id")
                .put("user", user));
    }

    private static ObjectNode params() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static <T> T await(Future<T> future) {
        return Blocking.await(future, TIMEOUT_SECONDS, "the receiver");
    }
}
