package io.wabatch.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.wabatch.sandbox.api.EventValues.TemplateRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The values of platform events against the examples of Meta's webhook references (fetched 2026-09): same keys,
 * same types (a template id is a number, {@code timestamp} of a preference a number, of a system message a string).
 */
class EventValuesTest {

    private static final TemplateRef ORDER = new TemplateRef("1689556908129832", "order_confirmation", "en_US",
            "UTILITY");

    @Test
    void templateStatusApprovedMatchesMetasExample() throws Exception {
        JsonNode value = EventValues.templateStatus(ORDER, "APPROVED", "NONE", null, 1751247548);

        assertThat(value).isEqualTo(RawHttp.MAPPER.readTree("{\"event\":\"APPROVED\","
                + "\"message_template_id\":1689556908129832,\"message_template_name\":\"order_confirmation\","
                + "\"message_template_language\":\"en_US\",\"reason\":\"NONE\","
                + "\"message_template_category\":\"UTILITY\"}"));
    }

    @Test
    void pausedCarriesOtherInfoAndDisabledItsDate() {
        JsonNode paused = EventValues.templateStatus(ORDER, "PAUSED", "NONE", "FIRST_PAUSE", 1);
        JsonNode disabled = EventValues.templateStatus(ORDER, "DISABLED", "NONE", null, 1751234563);
        JsonNode deleting = EventValues.templateStatus(ORDER, "PENDING_DELETION", null, null, 1);

        assertThat(paused.path("other_info").path("title").asText()).isEqualTo("FIRST_PAUSE");
        assertThat(disabled.path("disable_info").path("disable_date").asLong()).isEqualTo(1751234563);
        assertThat(disabled.has("other_info")).isFalse();
        assertThat(deleting.get("reason").isNull()).isTrue();
    }

    @Test
    void categoryUpdateHasTwoForms() {
        JsonNode impending = EventValues.categoryImpending(ORDER, "MARKETING", 1767225600);
        JsonNode completed = EventValues.categoryChanged(ORDER, "UTILITY", "MARKETING");

        assertThat(impending.path("correct_category").asText()).isEqualTo("MARKETING");
        assertThat(impending.path("category_update_timestamp").isIntegralNumber()).isTrue();
        assertThat(impending.has("previous_category")).isFalse();
        assertThat(completed.path("previous_category").asText()).isEqualTo("UTILITY");
        assertThat(completed.path("new_category").asText()).isEqualTo("MARKETING");
        assertThat(completed.has("correct_category")).isFalse();
        assertThat(completed.path("message_template_id").isIntegralNumber()).isTrue();
    }

    @Test
    void qualityUpdateNamesBothScores() {
        JsonNode value = EventValues.templateQuality(ORDER, "GREEN", "RED");

        assertThat(value.path("previous_quality_score").asText()).isEqualTo("GREEN");
        assertThat(value.path("new_quality_score").asText()).isEqualTo("RED");
        assertThat(value.path("message_template_name").asText()).isEqualTo("order_confirmation");
    }

    @Test
    void phoneNumberQualityMatchesMetasThroughputExample() throws Exception {
        JsonNode value = EventValues.phoneNumberQuality("15550783881", "THROUGHPUT_UPGRADE", null, "TIER_UNLIMITED",
                null);

        assertThat(value).isEqualTo(RawHttp.MAPPER.readTree("{\"display_phone_number\":\"15550783881\","
                + "\"event\":\"THROUGHPUT_UPGRADE\",\"current_limit\":\"TIER_UNLIMITED\"}"));
        assertThat(EventValues.phoneNumberQuality("1", "DOWNGRADE", "TIER_10K", null, "TIER_2K")
                .path("max_daily_conversations_per_business").asText()).isEqualTo("TIER_2K");
    }

    @Test
    void userPreferenceOfAUserKnownByBsuidOnlyHasNoWaId() {
        JsonNode withPhone = EventValues.userPreferences(EventValues.metadata("15550783881", "106540352242922"),
                new Recipient("16505551234", "US.1"), "Sheena", "stop", 1731705721);
        JsonNode usernameOnly = EventValues.userPreferences(EventValues.metadata("1", "2"),
                new Recipient(null, "US.2"), "Customer", "resume", 1);

        JsonNode preference = withPhone.path("user_preferences").path(0);
        assertThat(preference.path("wa_id").asText()).isEqualTo("16505551234");
        assertThat(preference.path("category").asText()).isEqualTo("marketing_messages");
        assertThat(preference.path("value").asText()).isEqualTo("stop");
        assertThat(preference.path("detail").asText()).isEqualTo("User requested to stop marketing messages");
        assertThat(preference.path("timestamp").isIntegralNumber()).isTrue();
        assertThat(withPhone.path("metadata").path("phone_number_id").asText()).isEqualTo("106540352242922");
        assertThat(usernameOnly.path("user_preferences").path(0).has("wa_id")).isFalse();
        assertThat(usernameOnly.path("contacts").path(0).has("wa_id")).isFalse();
        assertThat(usernameOnly.path("user_preferences").path(0).path("user_id").asText()).isEqualTo("US.2");
    }

    @Test
    void accountUpdatesMatchMetasExamples() throws Exception {
        var info = JsonNodeFactory.instance.arrayNode();
        info.addObject().put("restriction_type", "RESTRICTED_BIZ_INITIATED_MESSAGING").put("expiration", 1641330498);

        assertThat(EventValues.accountRestriction(info)).isEqualTo(RawHttp.MAPPER.readTree("{\"event\":"
                + "\"ACCOUNT_RESTRICTION\",\"restriction_info\":[{\"restriction_type\":"
                + "\"RESTRICTED_BIZ_INITIATED_MESSAGING\",\"expiration\":1641330498}]}"));
        assertThat(EventValues.accountDisabled("REINSTATE", "April 17, 2025")).isEqualTo(RawHttp.MAPPER.readTree(
                "{\"event\":\"DISABLED_UPDATE\",\"ban_info\":{\"waba_ban_state\":\"REINSTATE\","
                        + "\"waba_ban_date\":\"April 17, 2025\"}}"));
        assertThat(EventValues.marketingTermsSigned("980198427658004", "2329417887457253")).isEqualTo(
                RawHttp.MAPPER.readTree("{\"event\":\"MM_LITE_TERMS_SIGNED\",\"waba_info\":{\"waba_id\":"
                        + "\"980198427658004\",\"owner_business_id\":\"2329417887457253\"}}"));
        assertThat(EventValues.accountViolation("ADULT").path("violation_info").path("violation_type").asText())
                .isEqualTo("ADULT");
    }

    @Test
    void systemMessageHasNoContactsAndAStringTimestamp() {
        var system = JsonNodeFactory.instance.objectNode().put("wa_id", "12195555358");
        JsonNode value = EventValues.systemMessage(EventValues.metadata("15550783881", "106540352242922"),
                "user_changed_number", "wamid.x", "16505551234", system, 1750269342);

        JsonNode message = value.path("messages").path(0);
        assertThat(value.has("contacts")).isFalse();
        assertThat(message.path("type").asText()).isEqualTo("system");
        assertThat(message.path("timestamp").isTextual()).isTrue();
        assertThat(message.path("system").path("type").asText()).isEqualTo("user_changed_number");
        assertThat(EventValues.systemMessage(EventValues.metadata("1", "2"), "user_changed_user_id", "w", null,
                JsonNodeFactory.instance.objectNode(), 1).path("messages").path(0).has("from")).isFalse();
    }

    @Test
    void envelopeCarriesTheAccountAndTimeOnAccountFieldsOnly() {
        JsonNode account = EventValues.envelope("waba-1", "account_update", JsonNodeFactory.instance.objectNode(), 7);
        JsonNode messages = EventValues.envelope("waba-1", "messages", JsonNodeFactory.instance.objectNode(), 7);

        assertThat(account.path("object").asText()).isEqualTo("whatsapp_business_account");
        assertThat(account.path("entry").path(0).path("id").asText()).isEqualTo("waba-1");
        assertThat(account.path("entry").path(0).path("time").asLong()).isEqualTo(7);
        assertThat(account.path("entry").path(0).path("changes").path(0).path("field").asText())
                .isEqualTo("account_update");
        assertThat(messages.path("entry").path(0).has("time")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"PAUSED,,PAUSED", "DISABLED,,DISABLED", "APPROVED,,APPROVED", "REINSTATED,,APPROVED",
            "UNARCHIVED,,APPROVED", "REJECTED,,REJECTED", "PENDING_DELETION,,PENDING_DELETION", "FLAGGED,,",
            "LOCKED,,"})
    void templateEventsMapToCatalogueStatuses(String event, String ignored, String status) {
        assertThat(TemplateStatusEvents.statusAfter(event)).isEqualTo(status);
    }

    @Test
    void pauseTitles() {
        assertThat(TemplateStatusEvents.defaultTitle("PAUSED", "APPROVED")).isEqualTo("FIRST_PAUSE");
        assertThat(TemplateStatusEvents.defaultTitle("APPROVED", "PAUSED")).isEqualTo("UNPAUSE");
        assertThat(TemplateStatusEvents.defaultTitle("APPROVED", "PENDING")).isNull();
        assertThat(TemplateStatusEvents.defaultTitle("DISABLED", "APPROVED")).isNull();
    }
}
