package io.wabatch.ops.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import io.wabatch.common.template.TemplateCatalogue;
import io.wabatch.common.template.TemplateChecker;
import io.wabatch.common.template.TemplateFixtures;
import io.wabatch.common.template.TemplateKeys;
import io.wabatch.common.template.TemplateLookup;
import io.wabatch.common.template.TemplateProblem;
import io.wabatch.sandbox.api.templates.CatalogueRules;
import io.wabatch.sandbox.origin.MediaOrigin;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's catalogue matches its campaign exactly: it lists every template the sample sends and no other,
 * and every template job of the sample passes both wabatch's check and the sandbox's (the API's rules), so
 * the demo still has every message accepted with the catalogue in force.
 */
class SampleCatalogueTest {

    private static final String WABA = "109876543210";
    private static MediaOrigin origin;
    private static List<JsonNode> templateJobs;
    private static io.wabatch.sandbox.api.templates.TemplateCatalogue sandboxCatalogue;
    private static TemplateLookup listed;

    @BeforeAll
    static void buildTheSample() {
        origin = MediaOrigin.start();
        templateJobs = SampleCampaign.build("sample", origin, List.of(DemoStack.D360_CHANNEL, DemoStack.META_CHANNEL))
                .jobs().stream().<JsonNode>map(job -> job.path("message"))
                .filter(message -> message.path("type").asText().equals("template")).toList();
        sandboxCatalogue = io.wabatch.sandbox.api.templates.TemplateCatalogue.fromJson(SampleCatalogue.templates());
        listed = asListed(sandboxCatalogue);
    }

    @AfterAll
    static void stopOrigin() {
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void holdsExactlyTheTemplatesTheSampleSends() {
        Set<String> sent = new TreeSet<>();
        templateJobs.forEach(message -> sent.add(label(message.path("template").path("name").asText(),
                message.path("template").path("language").path("code").asText())));
        Set<String> catalogued = new TreeSet<>();
        sandboxCatalogue.templates().forEach(t -> catalogued.add(label(t.name(), t.language())));

        assertThat(templateJobs).as("the sample sends templates").isNotEmpty();
        assertThat(catalogued).isEqualTo(sent);
        assertThat(sandboxCatalogue.templates()).allMatch(t -> t.status().equals("APPROVED"));
    }

    @Test
    void everyTemplateJobOfTheSamplePassesWabatchsCheck() {
        for (JsonNode message : templateJobs) {
            assertThat(TemplateChecker.check(message.path("template"), listed)).as("%s", message).isEmpty();
        }
    }

    @Test
    void everyTemplateJobOfTheSampleIsSentAsTheSandboxChecksIt() {
        for (JsonNode message : templateJobs) {
            assertThatCode(() -> CatalogueRules.check(sandboxCatalogue, message.path("template"), false, false))
                    .as("%s", message).doesNotThrowAnyException();
        }
    }

    @Test
    void aTemplateTheCatalogueDoesNotListIsRefused() {
        ObjectNode helloWorld = TemplateFixtures.job("hello_world", "en_US");
        ObjectNode promoInGerman = TemplateFixtures.job("spring_promo", "de");

        assertThat(TemplateChecker.check(helloWorld, listed)).get().extracting(TemplateProblem::code)
                .isEqualTo(TemplateProblem.UNKNOWN);
        assertThat(TemplateChecker.check(promoInGerman, listed)).get().extracting(TemplateProblem::reason)
                .asString().contains("it exists in en_US");
    }

    /** The catalogue as the upload worker holds it after listing the sandbox's account. */
    private static TemplateLookup asListed(io.wabatch.sandbox.api.templates.TemplateCatalogue sandbox) {
        TemplateCatalogue catalogue = new TemplateCatalogue();
        for (JsonNode template : sandbox.toJson()) {
            String key = TemplateKeys.template(WABA, template.path("name").asText(), template.path("language").asText());
            catalogue.apply(key.getBytes(StandardCharsets.UTF_8), Json.bytes(template));
        }
        catalogue.apply(TemplateKeys.account(WABA).getBytes(StandardCharsets.UTF_8),
                "{\"synced_at\":\"2026-12-07T16:00:00Z\"}".getBytes(StandardCharsets.UTF_8));
        return catalogue.lookup(WABA).orElseThrow();
    }

    private static String label(String name, String language) {
        return name + " (" + language + ")";
    }
}
