package io.wabatch.sender.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.CallbackToken;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.ReadyJob;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiCallTest {

    @Test
    void bodyCarriesRecipientProductAndCorrelationToken() throws Exception {
        ObjectNode message = (ObjectNode) Json.mapper().readTree("{\"type\":\"image\",\"image\":{\"id\":\"M1\",\"caption\":\"c\"}}");
        ReadyJob job = new ReadyJob(1, "job-7/3", "spring", "acme", "4915123456789", message, List.of(), null, null,
                null, "crm-1", 2, Instant.EPOCH, Instant.EPOCH);

        ObjectNode body = ApiCall.body(job);

        assertThat(body.get("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(body.get("recipient_type").asText()).isEqualTo("individual");
        assertThat(body.get("to").asText()).isEqualTo("+4915123456789");
        assertThat(body.at("/image/id").asText()).isEqualTo("M1");
        assertThat(body.get("biz_opaque_callback_data").asText()).isEqualTo("v1|spring|job-7/3|2");
        assertThat(CallbackToken.parse(body.get("biz_opaque_callback_data").asText()))
                .isEqualTo(new CallbackToken("spring", "job-7/3", 2));
        assertThat(body.toString()).doesNotContain("crm-1").as("the producer's callback_data never goes to the API");
    }

    @Test
    void aRecipientKnownOnlyByBusinessScopedUserIdGoesAsRecipientNotTo() throws Exception {
        ObjectNode message = (ObjectNode) Json.mapper().readTree("{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        ReadyJob job = new ReadyJob(1, "job-8", "spring", "acme", "US.13491208655302741918", message, List.of(), null,
                null, null, null, 1, Instant.EPOCH, Instant.EPOCH);

        ObjectNode body = ApiCall.body(job);

        assertThat(body.get("recipient").asText()).isEqualTo("US.13491208655302741918");
        assertThat(body.has("to")).isFalse();
    }
}
