package io.wabatch.common.template;

import static io.wabatch.common.template.TemplateDefinitionTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import io.wabatch.sandbox.api.SpecExamples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A job's template against its account's catalogue: what the API would refuse is refused here, with a reason. */
class TemplateCheckerTest {

    static final String WABA = "102290129340398";
    static final String IMAGE = "https://cdn.example.com/spring.jpg";

    @Test
    void theSpecsHelloWorldSendFitsTheSpecsHelloWorldListing() {
        TemplateLookup account = account(MetaTemplateExamples.listing().path("data"));
        JsonNode send = SpecExamples.sends().filter(e -> e.name().equals("Send Test Message")).findFirst()
                .orElseThrow().body().path("template");

        assertThat(TemplateChecker.check(send, account)).isEmpty();
    }

    @Test
    void theSpecsCatalogAndIssueResolutionSendsFitTheirTemplates() {
        TemplateLookup account = account(json("[{\"name\":\"intro_catalog_offer\",\"language\":\"en_US\",\"status\":"
                + "\"APPROVED\",\"components\":[{\"type\":\"BODY\",\"text\":\"Now shop for your favourite products right "
                + "here on WhatsApp! Get Rs {{1}} off on all orders above {{2}}Rs! Valid for your first {{3}} orders "
                + "placed on WhatsApp!\"},{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"CATALOG\",\"text\":\"View "
                + "catalog\"}]}]},{\"name\":\"sample_issue_resolution\",\"language\":\"en_US\",\"status\":\"APPROVED\","
                + "\"components\":[{\"type\":\"BODY\",\"text\":\"Hi {{1}}, were we able to solve the issue that you "
                + "were facing?\"},{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"QUICK_REPLY\",\"text\":\"Yes\"},"
                + "{\"type\":\"QUICK_REPLY\",\"text\":\"No\"}]}]}]"));

        for (String name : new String[] {"Send Catalog Template Message", "Send Sample Issue Resolution Template"}) {
            JsonNode send = SpecExamples.sends().filter(e -> e.name().equals(name)).findFirst().orElseThrow().body()
                    .path("template");
            assertThat(TemplateChecker.check(send, account)).as(name).isEmpty();
        }
    }

    /** One job against one listed template: the problem's code and a phrase of its reason, or none. */
    record Case(String name, ObjectNode definition, ObjectNode job, String code, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                fits("a job that gives every component what it takes", offer("APPROVED", 2),
                        TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2)),
                mismatch("a body with one parameter too many", offer("APPROVED", 2),
                        TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 3),
                        "template spring_sale (en_US) body takes 2 parameters, the job gives 3"),
                mismatch("no body for a body with parameters", offer("APPROVED", 1),
                        without(TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 0), "body"),
                        "template spring_sale (en_US) body takes 1 parameter, the job gives 0"),
                mismatch("a video for an image header", offer("APPROVED", 2),
                        edit(TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2), t -> {
                            ObjectNode p = (ObjectNode) t.at("/components/0/parameters/0");
                            p.put("type", "video").set("video", p.remove("image"));
                        }), "template spring_sale (en_US) header is IMAGE, the job gives a video parameter"),
                fits("a header parameter type in upper case", offer("APPROVED", 2),
                        edit(TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2),
                                t -> ((ObjectNode) t.at("/components/0/parameters/0")).put("type", "IMAGE"))),
                mismatch("no header parameter for an image header", offer("APPROVED", 2),
                        without(TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2), "header"),
                        "header is IMAGE, the job gives no header parameter"),
                mismatch("no parameter for a URL button with a variable suffix", offer("APPROVED", 2),
                        without(TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2), "button"),
                        "template spring_sale (en_US) button 1 (URL 'Shop now') takes 1 parameter, the job gives none"),
                mismatch("a quick-reply component for a URL button", offer("APPROVED", 2),
                        edit(TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2),
                                t -> ((ObjectNode) t.at("/components/2")).put("sub_type", "quick_reply")),
                        "button 1 (URL 'Shop now') is a URL button, the job gives a quick_reply button"),
                fits("a button index as a number and a sub-type in upper case", offer("APPROVED", 2),
                        edit(TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2),
                                t -> ((ObjectNode) t.at("/components/2")).put("index", 1).put("sub_type", "URL"))),
                fits("a payload for a quick-reply button", offer("APPROVED", 2),
                        edit(TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2), t -> ((ArrayNode)
                                t.get("components")).addObject().put("type", "button").put("sub_type", "quick_reply")
                                .put("index", 0).putArray("parameters").addObject().put("type", "payload")
                                .put("payload", "STOP"))),
                mismatch("a button the template does not have", offer("APPROVED", 2),
                        edit(TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2), t -> ((ArrayNode)
                                t.get("components")).addObject().put("type", "button").put("sub_type", "url")
                                .put("index", "2").putArray("parameters").addObject().put("type", "text")
                                .put("text", "x")), "has 2 buttons, the job gives a button component with index 2"),
                fits("a carousel with the approved number of cards", TemplateFixtures.carousel("summer", "APPROVED", 3),
                        TemplateFixtures.carouselJob("summer", 3, IMAGE)),
                mismatch("a carousel with one card too few", TemplateFixtures.carousel("summer", "APPROVED", 3),
                        TemplateFixtures.carouselJob("summer", 2, IMAGE),
                        "template summer (en_US) carousel has 3 cards, the job gives 2"),
                mismatch("a card whose body lacks a parameter", TemplateFixtures.carousel("summer", "APPROVED", 2),
                        edit(TemplateFixtures.carouselJob("summer", 2, IMAGE),
                                t -> ((ArrayNode) t.at("/components/1/cards/1/components/1/parameters")).remove(1)),
                        "template summer (en_US) card 1 body takes 2 parameters, the job gives 1"),
                fits("cards given in another order than their card_index", TemplateFixtures.carousel("summer",
                        "APPROVED", 2), edit(TemplateFixtures.carouselJob("summer", 2, IMAGE), t -> {
                            ArrayNode cards = (ArrayNode) t.at("/components/1/cards");
                            cards.add(cards.remove(0));
                        })),
                mismatch("a carousel job for a template without one", offer("APPROVED", 2),
                        edit(TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2), t -> ((ArrayNode)
                                t.get("components")).addObject().put("type", "carousel").putArray("cards")),
                        "has no carousel, the job gives one with 0 cards"),
                mismatch("no carousel for a carousel template", TemplateFixtures.carousel("summer", "APPROVED", 2),
                        without(TemplateFixtures.carouselJob("summer", 2, IMAGE), "carousel"),
                        "is a carousel of 2 cards, the job gives no carousel component"),
                unknown("an unknown name", offer("APPROVED", 2),
                        TemplateFixtures.imageOfferJob("autumn_sale", "en_US", IMAGE, 2),
                        "template autumn_sale is not in account " + WABA + "'s catalogue (1 template"),
                unknown("a language the template lacks", offer("APPROVED", 2),
                        TemplateFixtures.imageOfferJob("spring_sale", "de", IMAGE, 2),
                        "template spring_sale has no de translation in account " + WABA + "'s catalogue (1 template, "
                                + "listed 2026-12-07T16:00:00Z); it exists in en_US"),
                new Case("a paused template", offer("PAUSED", 2),
                        TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2), TemplateProblem.PAUSED,
                        "template spring_sale (en_US) is PAUSED in account " + WABA + ": Meta paused it"),
                new Case("a paused template, 360dialog's lower case", offer("paused", 2),
                        TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2), TemplateProblem.PAUSED,
                        "is PAUSED"),
                new Case("a rejected template", offer("REJECTED", 2),
                        TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2), TemplateProblem.NOT_APPROVED,
                        "template spring_sale (en_US) is REJECTED in account " + WABA + ", not APPROVED"),
                new Case("a disabled template", offer("DISABLED", 2),
                        TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2), TemplateProblem.NOT_APPROVED,
                        "is DISABLED"),
                fits("named parameters with their names", TemplateFixtures.named("order_confirmation"),
                        namedJob("first_name", "order_number")),
                mismatch("named parameters without names", TemplateFixtures.named("order_confirmation"),
                        namedJob(null, null), "body takes named parameters (first_name, order_number): give each its "
                                + "parameter_name"),
                mismatch("a misspelt parameter name", TemplateFixtures.named("order_confirmation"),
                        namedJob("first_name", "order_no"), "takes parameters named first_name, order_number; the job "
                                + "lacks order_number and gives order_no, which the template does not have"),
                mismatch("a limited-time offer the template does not have", offer("APPROVED", 2),
                        edit(TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 2), t -> ((ArrayNode)
                                t.get("components")).addObject().put("type", "limited_time_offer")),
                        "has no limited-time offer"),
                mismatch("several differences, all named", offer("APPROVED", 2),
                        without(TemplateFixtures.imageOfferJob("spring_sale", "en_US", IMAGE, 3), "header"),
                        "header is IMAGE, the job gives no header parameter (give the image as a header parameter of "
                                + "type image); template spring_sale (en_US) body takes 2 parameters, the job gives 3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aJobThatCannotSucceedIsRefusedWithAReasonNamingTheTemplateAndWhatDiffers(Case c) {
        Optional<TemplateProblem> problem = TemplateChecker.check(c.job(), account(Json.mapper().createArrayNode()
                .add(c.definition())));

        if (c.code() == null) {
            assertThat(problem).isEmpty();
        } else {
            assertThat(problem).hasValueSatisfying(p -> {
                assertThat(p.code()).isEqualTo(c.code());
                assertThat(p.reason()).contains(c.reason());
            });
        }
    }

    @Test
    void aJobWithoutNameOrLanguageIsLeftToTheJobContract() {
        TemplateLookup account = account(Json.mapper().createArrayNode().add(offer("APPROVED", 2)));

        assertThat(TemplateChecker.check(json("{\"name\":\"spring_sale\"}"), account)).isEmpty();
        assertThat(TemplateChecker.check(json("{}"), account)).isEmpty();
    }

    static ObjectNode offer(String status, int bodyParameters) {
        return TemplateFixtures.imageOffer("spring_sale", "en_US", status, bodyParameters);
    }

    static ObjectNode namedJob(String first, String second) {
        ObjectNode template = TemplateFixtures.job("order_confirmation", "en_US");
        ArrayNode parameters = template.putArray("components").addObject().put("type", "body").putArray("parameters");
        ObjectNode a = parameters.addObject().put("type", "text").put("text", "Pablo");
        ObjectNode b = parameters.addObject().put("type", "text").put("text", "860198-230332");
        if (first != null) {
            a.put("parameter_name", first);
            b.put("parameter_name", second);
        }
        return template;
    }

    /** A catalogue of one account holding {@code templates}, listed at 2026-12-07T16:00:00Z. */
    static TemplateLookup account(JsonNode templates) {
        TemplateCatalogue catalogue = new TemplateCatalogue();
        for (JsonNode template : templates) {
            TemplateDefinition definition = TemplateDefinition.parse(template).orElseThrow();
            catalogue.apply(bytes(definition.key(WABA)), Json.bytes(template));
        }
        catalogue.apply(bytes(WABA), bytes("{\"waba_id\":\"" + WABA + "\",\"synced_at\":\"2026-12-07T16:00:00Z\","
                + "\"templates\":" + templates.size() + "}"));
        TemplateLookup lookup = catalogue.lookup(WABA).orElseThrow();
        assertThat(lookup.syncedAt()).isEqualTo(Instant.parse("2026-12-07T16:00:00Z"));
        return lookup;
    }

    private static Case fits(String name, ObjectNode definition, ObjectNode job) {
        return new Case(name, definition, job, null, null);
    }

    private static Case mismatch(String name, ObjectNode definition, ObjectNode job, String reason) {
        return new Case(name, definition, job, TemplateProblem.MISMATCH, reason);
    }

    private static Case unknown(String name, ObjectNode definition, ObjectNode job, String reason) {
        return new Case(name, definition, job, TemplateProblem.UNKNOWN, reason);
    }

    private static ObjectNode edit(ObjectNode template, Consumer<ObjectNode> change) {
        change.accept(template);
        return template;
    }

    /** The template without its components of {@code type}. */
    private static ObjectNode without(ObjectNode template, String type) {
        ArrayNode components = (ArrayNode) template.get("components");
        for (int i = components.size() - 1; i >= 0; i--) {
            if (type.equals(components.get(i).path("type").asText())) {
                components.remove(i);
            }
        }
        return template;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
