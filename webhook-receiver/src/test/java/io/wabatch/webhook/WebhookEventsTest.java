package io.wabatch.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wabatch.common.secret.Secret;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.StatusEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
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
    void refusesWhatIsNoWebhook() throws Exception {
        assertThatThrownBy(() -> WebhookEvents.parse(Json.mapper().readTree("{\"hello\":1}"), Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a WhatsApp webhook");
        assertThatThrownBy(() -> WebhookEvents.parse(Json.mapper().readTree(
                "{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"status\":\"sent\"}]}}]}]}"), Instant.EPOCH))
                .hasMessageContaining("without 'id'");
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
