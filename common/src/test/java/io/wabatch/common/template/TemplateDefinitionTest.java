package io.wabatch.common.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import io.wabatch.common.template.TemplateDefinition.Button;
import io.wabatch.common.template.TemplateDefinition.Header;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Templates as the API lists them, from Meta's own examples, and the odd forms a listing may take. */
class TemplateDefinitionTest {

    static Stream<String> creationExamples() {
        return MetaTemplateExamples.created().keySet().stream();
    }

    @Test
    void theSpecsListingParsesWithStatusCategoryIdAndPlaceholders() {
        List<TemplateDefinition> listed = listed(MetaTemplateExamples.listing());

        assertThat(listed).extracting(TemplateDefinition::label)
                .containsExactly("hello_world (en_US)", "2023_april_promo (en_US)");
        TemplateDefinition hello = listed.get(0);
        assertThat(hello.status()).isEqualTo("APPROVED");
        assertThat(hello.category()).isEqualTo("MARKETING");
        assertThat(hello.id()).isEqualTo("1192339204654487");
        assertThat(hello.layout().header()).isEqualTo(new Header("TEXT", List.of()));
        assertThat(hello.layout().body()).isEmpty();
        TemplateDefinition promo = listed.get(1);
        assertThat(promo.layout().body()).containsExactly("1", "2");
        assertThat(promo.named()).isFalse();
        assertThat(promo.layout().buttons()).containsExactly(new Button(0, "QUICK_REPLY", 0, 1, "Stop promotions"));
        assertThat(promo.campaignCategory()).contains("marketing");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("creationExamples")
    void everyCreationExampleOfTheSpecParses(String example) {
        assertThat(TemplateDefinition.parse(MetaTemplateExamples.created(example))).isPresent();
    }

    @Test
    void anImageHeaderAPhoneButtonAndAUrlButtonWithAVariableSuffix() {
        TemplateDefinition tuscan = parse(MetaTemplateExamples.created(
                "Create template w/ image header, text body, text footer, and 2 call-to-action buttons"));

        assertThat(tuscan.layout().header()).isEqualTo(new Header("IMAGE", List.of()));
        assertThat(tuscan.layout().body()).containsExactly("1", "2", "3");
        assertThat(tuscan.layout().buttons()).containsExactly(new Button(0, "PHONE_NUMBER", 0, 0, "Call"),
                new Button(1, "URL", 1, 1, "Shop Now"));
    }

    @Test
    void aUrlButtonWithoutVariableTakesNoParameter() {
        TemplateDefinition order = parse(MetaTemplateExamples.created(
                "Create template w/ document header, text body, a phone number button, and a URL button"));

        assertThat(order.layout().header().format()).isEqualTo("DOCUMENT");
        assertThat(order.layout().buttons().get(1)).isEqualTo(new Button(1, "URL", 0, 0, "Contact Support"));
        assertThat(order.campaignCategory()).contains("utility");
    }

    @Test
    void locationTextHeaderAndMultiProductButtons() {
        assertThat(parse(MetaTemplateExamples.created("Create template w/ location header, text body, text footer, "
                + "and a website buttons")).layout().header()).isEqualTo(new Header("LOCATION", List.of()));
        TemplateDefinition cart = parse(MetaTemplateExamples.created("Create multi-product message template"));
        assertThat(cart.layout().header()).isEqualTo(new Header("TEXT", List.of("1")));
        assertThat(cart.layout().buttons()).containsExactly(new Button(0, "MPM", 1, 1, "View items"));
    }

    @Test
    void anAuthenticationBodyCreatedWithoutTextTakesTheCodeAndItsOtpButtonTakesItToo() {
        TemplateDefinition auth = parse(MetaTemplateExamples.created(
                "Create authentication template w/ OTP copy code button"));

        assertThat(auth.layout().body()).containsExactly("1");
        assertThat(auth.layout().buttons()).containsExactly(new Button(0, "OTP", 1, 1, "Copy Code"));
        assertThat(auth.layout().buttons().get(0).subTypes()).contains("url");
        assertThat(auth.campaignCategory()).contains("authentication");
    }

    @Test
    void componentTypesAreReadInAnyCase() {
        TemplateDefinition flow = parse(MetaTemplateExamples.created("Create Flow Template Message by ID"));

        assertThat(flow.layout().body()).isEmpty();
        assertThat(flow.layout().buttons()).containsExactly(new Button(0, "FLOW", 0, 1, "Check out this offer!"));
    }

    @Test
    void aMediaCardCarouselAsMetaDocumentsIt() {
        TemplateDefinition carousel = parse(TemplateFixtures.carousel("summer_carousel_promo_2023", "APPROVED", 2));

        assertThat(carousel.carousel()).isTrue();
        assertThat(carousel.layout().body()).containsExactly("1", "2");
        assertThat(carousel.cards()).hasSize(2).allSatisfy(card -> {
            assertThat(card.header()).isEqualTo(new Header("IMAGE", List.of()));
            assertThat(card.body()).containsExactly("1", "2");
            assertThat(card.buttons()).containsExactly(new Button(0, "QUICK_REPLY", 0, 1, "Send me more like this!"),
                    new Button(1, "URL", 1, 1, "Buy now"));
        });
    }

    @Test
    void namedParametersAreDeclaredOrRecognisedByTheirNames() {
        TemplateDefinition declared = parse(TemplateFixtures.named("order_confirmation"));
        ObjectNode undeclared = TemplateFixtures.named("order_confirmation");
        undeclared.remove("parameter_format");

        assertThat(declared.named()).isTrue();
        assertThat(declared.layout().body()).containsExactly("first_name", "order_number");
        assertThat(parse(undeclared).named()).isTrue();
    }

    @Test
    void oddFormsAreReadLeniently() {
        TemplateDefinition odd = parse(json("{\"name\":\"odd\",\"language\":{\"code\":\"de\"},\"status\":\"approved\","
                + "\"id\":1234567890123,\"category\":\"utility\",\"namespace\":\"x\",\"rejected_reason\":\"NONE\","
                + "\"components\":[{\"type\":\"header\"},{\"type\":\"BODY\",\"text\":\"Hallo {{ 1 }}, {{2}} und {{1}}\"},"
                + "{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"VOICE_CALL\",\"text\":\"Call\"},{\"text\":\"?\"}]},"
                + "{\"type\":\"CALL_PERMISSION_REQUEST\"}]}"));

        assertThat(odd.language()).isEqualTo("de");
        assertThat(odd.approved()).isTrue();
        assertThat(odd.id()).isEqualTo("1234567890123");
        assertThat(odd.layout().header()).isEqualTo(new Header("TEXT", List.of()));
        assertThat(odd.layout().body()).containsExactly("1", "2");
        assertThat(odd.layout().buttons()).extracting(Button::max).containsOnly(Integer.MAX_VALUE);
        assertThat(odd.layout().buttons()).extracting(Button::kind).containsExactly("VOICE_CALL", "UNKNOWN");
    }

    @Test
    void missingOptionalObjectsLeaveAnEmptyLayoutAndNoStatusIsNotHeldAgainstAJob() {
        TemplateDefinition bare = parse(json("{\"name\":\"bare\",\"language\":\"en\"}"));

        assertThat(bare.layout().header()).isNull();
        assertThat(bare.layout().body()).isEmpty();
        assertThat(bare.layout().buttons()).isEmpty();
        assertThat(bare.carousel()).isFalse();
        assertThat(bare.status()).isNull();
        assertThat(bare.approved()).isTrue();
        assertThat(bare.campaignCategory()).isEmpty();
    }

    @Test
    void aTemplateWithoutNameOrLanguageIsNoTemplate() {
        assertThat(TemplateDefinition.parse(json("{\"language\":\"en\"}"))).isEmpty();
        assertThat(TemplateDefinition.parse(json("{\"name\":\"x\",\"language\":{}}"))).isEmpty();
        assertThat(TemplateDefinition.parse(json("[]"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"MARKETING,marketing", "UTILITY,utility", "AUTHENTICATION,authentication", "OTP,authentication",
            "TRANSACTIONAL,utility", "ACCOUNT_UPDATE,utility", "SHIPPING_UPDATE,utility", "ISSUE_RESOLUTION,utility",
            "SOMETHING_NEW,"})
    void categoriesMapToCampaignCategories(String category, String campaign) {
        TemplateDefinition definition = parse(json("{\"name\":\"c\",\"language\":\"en\",\"category\":\"" + category
                + "\"}"));

        assertThat(definition.campaignCategory().orElse(null)).isEqualTo(campaign);
    }

    static List<TemplateDefinition> listed(JsonNode page) {
        return java.util.stream.StreamSupport.stream(page.path("data").spliterator(), false)
                .map(TemplateDefinitionTest::parse).toList();
    }

    static TemplateDefinition parse(JsonNode node) {
        return TemplateDefinition.parse(node).orElseThrow();
    }

    static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
