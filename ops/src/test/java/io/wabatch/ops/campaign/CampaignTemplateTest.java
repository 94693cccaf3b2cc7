package io.wabatch.ops.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import io.wabatch.common.template.TemplateCatalogue;
import io.wabatch.common.template.TemplateFixtures;
import io.wabatch.common.template.TemplateKeys;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What publish takes from the template catalogue: the category, a mismatch report, a refusal. */
class CampaignTemplateTest {

    private static final String WABA = "111";
    private final TemplateCatalogue catalogue = new TemplateCatalogue();

    @Test
    void withoutCategoryTheTemplatesIsTaken() {
        listed(WABA, TemplateFixtures.named("order_update"));

        CampaignTemplate.Verdict verdict = CampaignTemplate.judge(message("order_update", 0), null, WABA, catalogue);

        assertThat(verdict.category()).isEqualTo("utility");
        assertThat(verdict.notes()).containsExactly("category: utility (from template order_update (en_US))");
        assertThat(verdict.warnings()).isEmpty();
    }

    @Test
    void aDeclaredCategoryThatDiffersIsReportedAndKept() {
        listed(WABA, TemplateFixtures.imageOffer("spring_sale", "en_US", "APPROVED", 0));

        CampaignTemplate.Verdict verdict = CampaignTemplate.judge(message("spring_sale", 0), "utility", WABA,
                catalogue);

        assertThat(verdict.category()).isEqualTo("utility");
        assertThat(verdict.warnings()).singleElement().asString().contains("--category utility, but template "
                + "spring_sale (en_US) is marketing").contains("opted-out customers are not suppressed");
    }

    @Test
    void aJobThatCannotSucceedIsAProblem() {
        listed(WABA, TemplateFixtures.imageOffer("spring_sale", "en_US", "PAUSED", 0));

        assertThat(CampaignTemplate.judge(message("spring_sale", 0), null, WABA, catalogue).problem())
                .startsWith("template_paused: template spring_sale (en_US) is PAUSED");
    }

    @Test
    void withoutTheChannelsAccountTheCategoryAllListedAccountsAgreeOnIsTaken() {
        listed(WABA, TemplateFixtures.named("order_update"));
        listed("222", TemplateFixtures.named("order_update"));

        CampaignTemplate.Verdict verdict = CampaignTemplate.judge(message("order_update", 7), null, null, catalogue);

        assertThat(verdict.category()).isEqualTo("utility");
        assertThat(verdict.problem()).as("not checked without the channel's account").isNull();
        assertThat(verdict.notes()).first().asString().contains("the template is not checked");
    }

    @Test
    void whenNeitherSaysTheDefaultMarketingApplies() {
        CampaignTemplate.Verdict verdict = CampaignTemplate.judge(message("unknown", 0), null, WABA, catalogue);

        assertThat(verdict.category()).isNull();
        assertThat(verdict.notes()).contains("category: marketing (the default: no --category, and the catalogue "
                + "knows no single category of template unknown (en_US))");
    }

    @Test
    void aMessageThatIsNoTemplateKeepsTheDeclaredCategory() {
        ObjectNode text = Json.mapper().createObjectNode().put("type", "text");
        text.putObject("text").put("body", "hi");

        assertThat(CampaignTemplate.judge(text, null, WABA, catalogue))
                .isEqualTo(new CampaignTemplate.Verdict(null, java.util.List.of(), java.util.List.of(), null));
    }

    private static ObjectNode message(String name, int bodyParameters) {
        ObjectNode template = TemplateFixtures.job(name, "en_US");
        if (bodyParameters > 0) {
            TemplateFixtures.body(template.putArray("components"), bodyParameters);
        }
        return TemplateFixtures.message(template);
    }

    private void listed(String waba, ObjectNode template) {
        String key = TemplateKeys.template(waba, template.get("name").asText(), template.get("language").asText());
        catalogue.apply(key.getBytes(StandardCharsets.UTF_8), Json.bytes(template));
        catalogue.apply(waba.getBytes(StandardCharsets.UTF_8),
                "{\"synced_at\":\"2026-12-07T16:00:00Z\"}".getBytes(StandardCharsets.UTF_8));
    }
}
