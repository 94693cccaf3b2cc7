package io.wabatch.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.StatusEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusPricingTest {

    @Test
    void readsPerMessagePricingWithItsType() throws Exception {
        StatusEvent.Pricing pricing = StatusPricing.read(node("""
                {"billable": false, "pricing_model": "PMP", "category": "marketing_lite", "type": "free_entry_point"}"""));
        assertThat(pricing).isEqualTo(new StatusEvent.Pricing("marketing_lite", false, "PMP", "free_entry_point"));
    }

    @Test
    void readsConversationBasedPricingWithoutType() throws Exception {
        StatusEvent.Pricing pricing = StatusPricing.read(node("""
                {"billable": true, "pricing_model": "CBP", "category": "authentication_international"}"""));
        assertThat(pricing).isEqualTo(new StatusEvent.Pricing("authentication_international", true, "CBP"));
        assertThat(pricing.type()).isNull();
    }

    @ParameterizedTest(name = "billable {0} → {1}")
    @CsvSource(nullValues = "null", value = {"true, true", "false, false", "'\"true\"', true", "'\"False\"', false",
            "1, true", "0, false", "'\"1\"', true", "'\"maybe\"', null", "null, null", "'{}', null"})
    void toleratesBillableAsStringsAndNumbers(String json, Boolean billable) throws Exception {
        assertThat(StatusPricing.read(node("{\"category\": \"utility\", \"billable\": " + json + "}")).billable())
                .isEqualTo(billable);
    }

    @Test
    void missingOrOddPricingIsNullAndOddFieldsAreAbsent() throws Exception {
        assertThat(StatusPricing.read(node("{}").path("pricing"))).as("no pricing").isNull();
        assertThat(StatusPricing.read(node("\"PMP\""))).as("not an object").isNull();
        assertThat(StatusPricing.read(node("[]"))).as("not an object").isNull();
        assertThat(StatusPricing.read(node("{\"category\": {\"x\": 1}, \"type\": \"  \", \"pricing_model\": null}")))
                .isEqualTo(new StatusEvent.Pricing(null, null, null, null));
        assertThat(StatusPricing.read(node("{\"category\": \" MARKETING \", \"type\": \"Regular\"}")))
                .isEqualTo(new StatusEvent.Pricing("marketing", null, null, "regular"));
    }

    @Test
    void aWebhookStatusCarriesItsPricingTypeIntoTheStatusEvent() throws Exception {
        JsonNode body = node("""
                { "object": "whatsapp_business_account", "entry": [ { "id": "WABA", "changes": [ {
                  "field": "messages", "value": { "metadata": { "phone_number_id": "1065" },
                  "statuses": [ { "id": "wamid.A", "status": "delivered", "timestamp": "1749416390",
                    "recipient_id": "4915123456789", "biz_opaque_callback_data": "v1|spring|spring-1/0|1",
                    "pricing": { "billable": "true", "pricing_model": "PMP", "category": "utility",
                                 "type": "regular" } } ] } } ] } ] }""");
        StatusEvent status = WebhookEvents.parse(body, Instant.EPOCH).statuses().get(0);
        assertThat(status.pricing()).isEqualTo(new StatusEvent.Pricing("utility", true, "PMP", "regular"));
        StatusEvent back = StatusEvent.decode(Json.bytes(status));
        assertThat(back.pricing()).as("the type survives wa.status's JSON").isEqualTo(status.pricing());
    }

    @Test
    void aStatusRecordWrittenBeforeTheTypeExistedStillDecodes() throws Exception {
        StatusEvent old = StatusEvent.decode("""
                {"wamid": "wamid.A", "status": "sent", "pricing": {"category": "marketing", "billable": true,
                 "pricing_model": "PMP"}}""".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(old.pricing()).isEqualTo(new StatusEvent.Pricing("marketing", true, "PMP"));
    }

    private static JsonNode node(String json) throws Exception {
        return Json.mapper().readTree(json);
    }
}
