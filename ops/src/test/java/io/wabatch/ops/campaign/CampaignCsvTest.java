package io.wabatch.ops.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignCsvTest {

    @TempDir
    Path dir;

    private static ObjectNode greeting() throws Exception {
        return (ObjectNode) Json.mapper().readTree("{\"type\":\"text\",\"text\":{\"body\":\"Hi {{name}}, -{{discount}}%\"}}");
    }

    private CampaignCsv.Plan plan(String csv, int batch) throws Exception {
        Path file = Files.writeString(dir.resolve("r.csv"), csv);
        return CampaignCsv.plan(file, new CampaignCsv.Spec("spring", "acme-de", greeting(), null, null, batch));
    }

    @Test
    void buildsJobsOfAtMostTheBatchWithEachRecipientsVariablesAndDropsRepeatedNumbers() throws Exception {
        CampaignCsv.Plan plan = plan("""
                phone,name,discount,unused
                +49 151 2345 6701,Anna,20,x
                +49 151 2345 6702,Ben,10,
                0049 151 2345 6701,Anna again,5,
                +49 151 2345 6703,"Cara, Dr.",15,
                """, 2);
        assertThat(plan.problems()).isEmpty();
        assertThat(plan.rows()).isEqualTo(4);
        assertThat(plan.recipients()).isEqualTo(3);
        assertThat(plan.duplicates()).isEqualTo(1);
        assertThat(plan.placeholders()).containsExactlyInAnyOrder("name", "discount");
        assertThat(plan.jobs()).hasSize(2);
        JsonNode first = Json.mapper().readTree(plan.jobs().get(0));
        assertThat(first.path("job_id").asText()).isEqualTo("spring-000001");
        assertThat(first.path("campaign_id").asText()).isEqualTo("spring");
        assertThat(first.path("recipients")).hasSize(2);
        assertThat(first.path("recipients").get(0).path("to").asText()).isEqualTo("+4915123456701");
        assertThat(first.path("recipients").get(0).path("vars").path("name").asText()).isEqualTo("Anna");
        assertThat(first.path("recipients").get(0).path("vars").has("unused")).as("only what the message uses").isFalse();
        JsonNode second = Json.mapper().readTree(plan.jobs().get(1));
        assertThat(second.path("recipients").get(0).path("vars").path("name").asText()).isEqualTo("Cara, Dr.");
    }

    @Test
    void recipientsMayBeBusinessScopedUserIdsAloneOrNextToTheirNumber() throws Exception {
        CampaignCsv.Plan plan = plan("""
                phone,recipient,name,discount
                +49 151 2345 6701,,Anna,20
                ,US.13491208655302741918,Ben,10
                +49 151 2345 6703,DE.777,Cara,15
                ,US.13491208655302741918,Ben again,5
                """, 10);
        assertThat(plan.problems()).isEmpty();
        assertThat(plan.recipients()).isEqualTo(3);
        assertThat(plan.duplicates()).isEqualTo(1);
        JsonNode recipients = Json.mapper().readTree(plan.jobs().get(0)).path("recipients");
        assertThat(recipients.get(0).path("to").asText()).isEqualTo("+4915123456701");
        assertThat(recipients.get(0).has("recipient")).isFalse();
        assertThat(recipients.get(1).path("recipient").asText()).isEqualTo("US.13491208655302741918");
        assertThat(recipients.get(1).has("to")).isFalse();
        assertThat(recipients.get(2).path("to").asText()).isEqualTo("+4915123456703");
        assertThat(recipients.get(2).path("recipient").asText()).isEqualTo("DE.777");
    }

    @Test
    void aRowWithNeitherNumberNorUsableBsuidIsReported() throws Exception {
        CampaignCsv.Plan plan = plan("""
                recipient,name,discount
                US.1349,Anna,20
                ,Ben,10
                us.lower,Cara,15
                """, 10);
        assertThat(plan.ok()).isFalse();
        assertThat(plan.problems()).containsExactly("line 3: no number and no business-scoped user ID",
                "line 4: 'us.*****' is not a business-scoped user ID (e.g. US.13491208655302741918)");
    }

    @Test
    void reportsEachBadRowByItsLineNumberAndPlansNothing() throws Exception {
        CampaignCsv.Plan plan = plan("""
                phone,name,discount
                +4915123456701,Anna,20
                not a number,Ben,10
                +4915123456703,,15
                +49151234567041234567,Dan,5
                """, 1000);
        assertThat(plan.ok()).isFalse();
        assertThat(plan.jobs()).isEmpty();
        assertThat(plan.problems()).hasSize(3);
        assertThat(plan.problems().get(0)).startsWith("line 3: ").contains("not a phone number");
        assertThat(plan.problems().get(1)).startsWith("line 4: ").contains("'name' is empty");
        assertThat(plan.problems().get(2)).startsWith("line 5: ");
    }

    @Test
    void aMissingPhoneOrVariableColumnIsReportedOnTheHeaderLine() throws Exception {
        assertThat(plan("number,name,discount\n+4915123456701,A,1\n", 1000).problems())
                .singleElement().asString().startsWith("line 1: ").contains("no 'phone'");
        assertThat(plan("phone,name\n+4915123456701,A\n", 1000).problems())
                .singleElement().asString().startsWith("line 1: ").contains("{{discount}}");
    }

    @Test
    void aRowWithTooManyFieldsStopsTheReadWithItsLine() throws Exception {
        CampaignCsv.Plan plan = plan("phone,name,discount\n+4915123456701,A,1\n+4915123456702,B,2,extra\n", 1000);
        assertThat(plan.problems()).singleElement().asString().startsWith("line 3: ");
    }
}
