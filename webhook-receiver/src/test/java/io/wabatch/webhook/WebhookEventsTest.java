package io.wabatch.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wabatch.common.secret.Secret;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.InboundMessage;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.contract.StatusEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookEventsTest {

    /** The failed status of the facts sheet §6, with a wabatch token. */
    private static final String FAILED = """
            { "object": "whatsapp_business_account",
              "entry": [ { "id": "WABA", "changes": [ { "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
                "statuses": [ { "id": "wamid.HBgL", "status": "failed", "timestamp": "1749416383",
                  "recipient_id": "16505551234", "biz_opaque_callback_data": "v1|spring|spring-1/0|1",
                  "errors": [ { "code": 131053, "title": "Media upload error", "message": "Media upload error",
                    "error_data": { "details": "Downloading media from weblink failed with http code 403" } } ] },
                  { "id": "wamid.X", "status": "read", "timestamp": "1749416390", "recipient_id": "16505551234",
                    "pricing": { "billable": true, "pricing_model": "PMP", "category": "marketing" } } ] } } ] } ] }
            """;

    @Test
    void readsStatusesWithErrorsPricingAndTheTokensJob() throws Exception {
        WebhookEvents.Parsed parsed = WebhookEvents.parse(Json.mapper().readTree(FAILED), Instant.EPOCH);
        assertThat(parsed.inbound()).isEmpty();
        StatusEvent failed = parsed.statuses().get(0);
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.errorCode()).isEqualTo(131053);
        assertThat(failed.errors().get(0).details()).contains("http code 403");
        assertThat(failed.timestamp()).isEqualTo(Instant.ofEpochSecond(1749416383));
        assertThat(failed.phoneNumberId()).isEqualTo("106540352242922");
        assertThat(failed.campaignId()).isEqualTo("spring");
        assertThat(failed.jobId()).isEqualTo("spring-1/0");
        assertThat(failed.generation()).isEqualTo(1);
        StatusEvent read = parsed.statuses().get(1);
        assertThat(read.correlated()).as("no token: not a wabatch message").isFalse();
        assertThat(read.pricing().category()).isEqualTo("marketing");
        assertThat(read.pricing().billable()).isTrue();
    }

    @Test
    void refusesWhatIsNoWebhookAndListsAnUnreadableItemWithoutDroppingTheRest() throws Exception {
        assertThatThrownBy(() -> WebhookEvents.parse(Json.mapper().readTree("{\"hello\":1}"), Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a WhatsApp webhook");
        WebhookEvents.Parsed parsed = WebhookEvents.parse(Json.mapper().readTree(
                "{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"status\":\"sent\"},"
                        + "{\"id\":\"wamid.Z\",\"status\":\"sent\"}]}}]}]}"), Instant.EPOCH);
        assertThat(parsed.unreadable()).containsExactly("a status without 'id' or 'status'");
        assertThat(parsed.statuses()).extracting(StatusEvent::wamid).containsExactly("wamid.Z");
    }

    @Test
    void anUnreadableTimestampKeepsItsEventWithTheReceiveTimeAndTheRawValue() throws Exception {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        StatusEvent status = only(parse("status-unreadable-timestamp.json", now).statuses());
        assertThat(status.timestamp()).isEqualTo(now);
        assertThat(status.rawTimestamp()).isEqualTo("TIMESTAMP");
        InboundMessage message = only(parse("message-unreadable-timestamp.json", now).inbound());
        assertThat(message.timestamp()).isEqualTo(now);
        assertThat(message.rawTimestamp()).isEqualTo("TIMESTAMP");
        assertThat(only(parse("status-numeric-timestamp.json", now).statuses()).timestamp())
                .isEqualTo(Instant.ofEpochSecond(1749416391));
        assertThat(only(parse("status-numeric-timestamp.json", now).statuses()).rawTimestamp()).isNull();
    }

    @Test
    void statusesNamedByBusinessScopedUserIdOrSentToAGroupKeepWhomTheyAreAbout() throws Exception {
        StatusEvent empty = only(parse("status-bsuid-empty-recipient.json", Instant.EPOCH).statuses());
        assertThat(empty.recipient()).isNull();
        assertThat(empty.recipientUserId()).isEqualTo("US.13491208655302741918");
        List<StatusEvent> group = parse("status-group.json", Instant.EPOCH).statuses();
        assertThat(group).extracting(StatusEvent::recipient).containsExactly("16505551234", "16505551235");
        assertThat(group).extracting(StatusEvent::groupId).containsOnly("120363045619824000");
        assertThat(group.get(0).dedupeKey()).isNotEqualTo(group.get(1).dedupeKey());
        assertThat(only(parse("status-read-no-pricing.json", Instant.EPOCH).statuses()).pricing()).isNull();
    }

    @Test
    void customerMessagesWithoutAPhoneAreNamedByTheirBusinessScopedUserId() throws Exception {
        InboundMessage fromUserId = only(parse("message-from-user-id-only.json", Instant.EPOCH).inbound());
        assertThat(fromUserId.from()).isNull();
        assertThat(fromUserId.fromUserId()).isEqualTo("US.13491208655302741918");
        assertThat(fromUserId.sender()).isEqualTo("US.13491208655302741918");
        InboundMessage contactOnly = only(parse("message-contacts-user-id-only.json", Instant.EPOCH).inbound());
        assertThat(contactOnly.fromUserId()).isEqualTo("US.13491208655302741918");
        assertThat(contactOnly.text()).isEqualTo("Stop promotions");
        assertThat(only(parse("message-unsupported.json", Instant.EPOCH).inbound()).type()).isEqualTo("unsupported");
    }

    @Test
    void systemMessagesCarryTheIdentityChange() throws Exception {
        InboundMessage number = only(parse("message-system-user-changed-number.json", Instant.EPOCH).inbound());
        assertThat(number.from()).isEqualTo("16505551234");
        assertThat(number.system()).isEqualTo(new InboundMessage.SystemChange("user_changed_number", "12195555358",
                "US.7766554433221100998", "US.ENT.99887766554433221100", "US.13491208655302741918",
                "US.ENT.11815799212886844830"));
        InboundMessage userId = only(parse("message-system-user-changed-user-id.json", Instant.EPOCH).inbound());
        assertThat(userId.from()).as("no phone is given").isNull();
        assertThat(userId.fromUserId()).isEqualTo("US.7766554433221100998");
        assertThat(userId.system().type()).isEqualTo("user_changed_user_id");
        assertThat(userId.system().previousUserId()).isEqualTo("US.13491208655302741918");
        assertThat(userId.system().previousParentUserId()).isEqualTo("US.ENT.11815799212886844830");
    }

    @Test
    void everyOtherFieldBecomesAPlatformEventOfItsAccount() throws Exception {
        List<PlatformEvent> preferences = parse("user-preferences-bsuid.json", Instant.EPOCH).platform();
        assertThat(preferences).extracting(PlatformEvent::event).containsExactly("stop", "resume");
        assertThat(preferences.get(0).subject().userId()).isEqualTo("US.13491208655302741918");
        assertThat(preferences.get(0).subject().userPhone()).isNull();
        assertThat(preferences.get(1).subject().userPhone()).isEqualTo("4915112345678");
        assertThat(preferences.get(0).detail("category")).isEqualTo("marketing_messages");
        assertThat(preferences.get(0).at()).isEqualTo(Instant.ofEpochSecond(1731705722));

        PlatformEvent paused = only(parse("template-status-paused.json", Instant.EPOCH).platform());
        assertThat(paused.wabaId()).isEqualTo("102290129340398");
        assertThat(paused.event()).isEqualTo("PAUSED");
        assertThat(paused.subject().templateId()).isEqualTo("1689556908129832");
        assertThat(paused.subject().templateName()).isEqualTo("spring_sale");
        assertThat(paused.subject().templateLanguage()).isEqualTo("en_US");
        assertThat(paused.detail("other_info.title")).isEqualTo("FIRST_PAUSE");
        assertThat(paused.dedupeKey()).isEqualTo("message_template_status_update/1689556908129832/PAUSED/1749416600");

        PlatformEvent impending = only(parse("template-category-impending.json", Instant.EPOCH).platform());
        assertThat(impending.event()).isEqualTo("IMPENDING");
        assertThat(impending.detail("correct_category")).isEqualTo("MARKETING");
        assertThat(impending.detail("category_update_at")).isEqualTo("2025-07-09T00:00:00Z");
        PlatformEvent completed = only(parse("template-category-completed.json", Instant.EPOCH).platform());
        assertThat(completed.event()).isEqualTo("COMPLETED");
        assertThat(completed.detail("new_category")).isEqualTo("MARKETING");
        assertThat(only(parse("template-quality-red.json", Instant.EPOCH).platform()).event()).isEqualTo("RED");

        PlatformEvent upgrade = only(parse("phone-quality-throughput-upgrade.json", Instant.EPOCH).platform());
        assertThat(upgrade.event()).isEqualTo("THROUGHPUT_UPGRADE");
        assertThat(upgrade.subject().displayPhoneNumber()).isEqualTo("15550783881");
        assertThat(only(parse("phone-quality-downgrade.json", Instant.EPOCH).platform())
                .detail("max_daily_conversations_per_business")).isEqualTo("TIER_1K");
        assertThat(only(parse("business-capability.json", Instant.EPOCH).platform())
                .detail("max_daily_conversations_per_business")).isEqualTo("10000");

        PlatformEvent restriction = only(parse("account-update-restriction.json", Instant.EPOCH).platform());
        assertThat(restriction.event()).isEqualTo("ACCOUNT_RESTRICTION");
        assertThat(restriction.detail("restriction_type")).isEqualTo("RESTRICTED_BIZ_INITIATED_MESSAGING");
        assertThat(restriction.detail("expiration_at")).isEqualTo("2025-06-15T21:00:00Z");
        assertThat(only(parse("account-update-disabled.json", Instant.EPOCH).platform())
                .detail("ban_info.waba_ban_state")).isEqualTo("SCHEDULE_FOR_DISABLE");

        PlatformEvent unknown = only(parse("account-alerts-unknown-field.json", Instant.EPOCH).platform());
        assertThat(unknown.field()).isEqualTo("account_alerts");
        assertThat(unknown.event()).isNull();
        assertThat(unknown.raw().path("alert_info").path("alert_type").asText()).isEqualTo("OBA_APPROVED");
        assertThat(unknown.dedupeKey()).startsWith("sha256:");

        PlatformEvent error = only(parse("messages-value-errors.json", Instant.EPOCH).platform());
        assertThat(error.field()).isEqualTo("messages");
        assertThat(error.event()).isEqualTo("error");
        assertThat(error.detail("code")).isEqualTo("131000");
        assertThat(error.subject().phoneNumberId()).isEqualTo("106540352242922");
    }

    private static WebhookEvents.Parsed parse(String file, Instant receivedAt) throws Exception {
        Corpus.Case webhook = Corpus.webhooks().stream().filter(c -> c.name().equals(file)).findFirst().orElseThrow();
        return WebhookCorpusTest.parse(webhook, receivedAt);
    }

    private static <T> T only(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    @Test
    void signaturesAreCheckedOverTheRawBytes() {
        Secret secret = Secret.of("s3cret");
        WebhookAuth auth = new WebhookAuth(secret, "", null, Secret.of("verify"));
        byte[] body = FAILED.getBytes(StandardCharsets.UTF_8);
        String good = "sha256=" + HexFormat.of().formatHex(WebhookAuth.hmac(secret, body));
        assertThat(auth.check(body, good, null)).isEqualTo(WebhookAuth.Verdict.OK);
        assertThat(auth.check(body, good.toUpperCase(java.util.Locale.ROOT), null)).as("hex case does not matter")
                .isEqualTo(WebhookAuth.Verdict.OK);
        byte[] reformatted = FAILED.replace("  ", " ").getBytes(StandardCharsets.UTF_8);
        assertThat(auth.check(reformatted, good, null)).as("same JSON, other bytes").isEqualTo(WebhookAuth.Verdict.WRONG);
        assertThat(auth.check(body, "sha1=" + good.substring(7), null)).isEqualTo(WebhookAuth.Verdict.WRONG);
        assertThat(auth.check(body, "sha256=zz", null)).isEqualTo(WebhookAuth.Verdict.WRONG);
        assertThat(auth.check(body, null, null)).isEqualTo(WebhookAuth.Verdict.MISSING);
        assertThat(auth.handshake("subscribe", "verify", "42")).isEqualTo("42");
        assertThat(auth.handshake("unsubscribe", "verify", "42")).isNull();
        assertThat(auth.handshake("subscribe", "verif", "42")).isNull();
    }
}
