package io.wabatch.sandbox.api.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading templates and catalogues: what a send is checked against, and entries refused naming the field. */
class TemplateTest {

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    @Test
    void theSampleReadsWhatSendsAreCheckedAgainst() {
        TemplateCatalogue sample = TemplateCatalogue.sample();

        Template sale = sample.find("summer_sale", "en_US").orElseThrow();
        Template order = sample.find("order_update", "en_US").orElseThrow();
        Template picks = sample.find("spring_picks", "en_US").orElseThrow();
        assertThat(sample.templates()).hasSize(12);
        assertThat(sale.headerFormat()).isEqualTo("IMAGE");
        assertThat(sale.bodyPlaceholders()).containsExactly("1", "2");
        assertThat(order.headerFormat()).isEqualTo("TEXT");
        assertThat(order.headerPlaceholders()).containsExactly("order_id");
        assertThat(order.bodyPlaceholders()).containsExactly("first_name", "order_id");
        assertThat(picks.cards()).hasSize(2).allSatisfy(card -> {
            assertThat(card.headerFormat()).isEqualTo("IMAGE");
            assertThat(card.bodyPlaceholders()).containsExactly("1");
        });
        assertThat(sample.find("login_code", "en_US").orElseThrow().bsuidUnsupported()).isTrue();
        assertThat(sample.find("login_code_one_tap", "en_US").orElseThrow().bsuidUnsupported()).isTrue();
        assertThat(sale.bsuidUnsupported()).as("a marketing template's buttons").isFalse();
        assertThat(sample.hasName("summer_sale")).isTrue();
        assertThat(TemplateCatalogue.fromJson(sample.toJson())).isEqualTo(sample);
    }

    @Test
    void placeholdersAreDistinctInOrderOfAppearance() {
        assertThat(Template.placeholders("{{2}} and {{1}}, again {{2}}, {{ name }}")).containsExactly("2", "1",
                "name");
        assertThat(Template.placeholders("no placeholders {1} {{}}")).isEmpty();
    }

    @Test
    void defaultsFillStatusIdAndComponents() {
        Template template = TemplateCatalogue.fromJson(json("[{'name':'a','language':'en','category':'UTILITY'}]"))
                .templates().get(0);

        assertThat(template.status()).isEqualTo("APPROVED");
        assertThat(template.id()).matches("\\d{15}");
        assertThat(template.toJson().get("components")).isEmpty();
        assertThat(template.headerFormat()).isNull();
        assertThat(template.cards()).isNull();
    }

    @Test
    void badEntriesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> TemplateCatalogue.fromJson("{}")).hasMessageContaining("JSON array");
        assertThatThrownBy(() -> TemplateCatalogue.fromJson(json("[{'language':'en','category':'UTILITY'}]")))
                .hasMessageContaining("templates[0].name");
        assertThatThrownBy(() -> TemplateCatalogue.fromJson(json("[{'name':'a','language':'en',"
                + "'category':'UTILITY','status':'approved'}]"))).hasMessageContaining("templates[0].status");
        assertThatThrownBy(() -> TemplateCatalogue.fromJson(json("[{'name':'a','language':'en',"
                + "'category':'AUTHENTICATION','components':[{'type':'BUTTONS','buttons':[{'type':'OTP'}]}]}]")))
                .hasMessageContaining("templates[0].components[0].buttons[0].otp_type");
        assertThatThrownBy(() -> TemplateCatalogue.fromJson(json("[{'name':'a','language':'en',"
                + "'category':'MARKETING','components':[{'type':'HEADER','format':'GIF'}]}]")))
                .hasMessageContaining("components[0].format");
        assertThatThrownBy(() -> TemplateCatalogue.fromJson(json("[{'name':'a','language':'en',"
                + "'category':'MARKETING','components':[{'type':'CAROUSEL','cards':[]}]}]")))
                .hasMessageContaining("cards");
        assertThatThrownBy(() -> TemplateCatalogue.fromJson(json("[{'name':'a','language':'en','category':"
                + "'UTILITY'},{'name':'a','language':'en','category':'MARKETING'}]"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> TemplateCatalogue.sample().withStatus("nope", "en", "PAUSED"))
                .hasMessageContaining("nope");
    }

    @Test
    void fromJsonAcceptsMetasListing() {
        TemplateCatalogue listing = TemplateCatalogue.fromJson(json("{'data':[{'name':'a','language':'en',"
                + "'category':'UTILITY'}],'paging':{'cursors':{'before':'x','after':'y'}}}"));

        assertThat(listing.find("a", "en")).isPresent();
    }
}
