package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.template.TemplateFixtures;
import io.wabatch.common.template.TemplateProblem;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoStack;
import io.wabatch.ops.demo.ResultsWatcher;
import io.wabatch.ops.demo.SampleCatalogue;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's configuration ({@link DemoOptions#withSampleCatalogue()}) puts its catalogue in force: both
 * channels' accounts are listed before the stack is up, and a job naming a template the catalogue does not
 * list ends failed with {@code template_unknown} without reaching the API, while one of the sample's
 * templates is accepted.
 */
@Timeout(180)
class DemoCatalogueIT {

    private static DemoStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        String prefix = "democat-" + UUID.randomUUID().toString().substring(0, 8);
        stack = DemoStack.start(DemoOptions.forTest(KafkaTestBroker.bootstrapServers(), prefix, Map.of())
                .withSampleCatalogue());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aTemplateOutsideTheDemoCatalogueIsRefusedBeforeTheApiAndTheSamplesIsAccepted() {
        int templates = SampleCatalogue.templates().size();
        for (String account : List.of(SandboxConfig.DEMO_D360_NUMBER_ID, SandboxConfig.DEMO_META_NUMBER_ID)) {
            assertThat(stack.uploadWorker().templates().account(account)).as("account %s listed at start", account)
                    .get().extracting(a -> a.templates()).isEqualTo(templates);
        }
        String campaign = "democat-" + UUID.randomUUID().toString().substring(0, 6);
        Jobs.publish(stack.bootstrap(), stack.topics().jobs(), List.of(
                Jobs.single(campaign + "-d360-unknown", campaign, DemoStack.D360_CHANNEL, "+4915120000001",
                        TemplateFixtures.message(TemplateFixtures.job("hello_world", "en_US"))),
                Jobs.single(campaign + "-meta-unknown", campaign, DemoStack.META_CHANNEL, "+4915120000002",
                        TemplateFixtures.message(TemplateFixtures.job("hello_world", "en_US"))),
                Jobs.single(campaign + "-meta-promo", campaign, DemoStack.META_CHANNEL, "+4915120000003",
                        springPromo(stack.origin().url("/media/sample.jpg")))));

        Map<String, JobResult> results;
        try (ResultsWatcher watcher = new ResultsWatcher(stack.bootstrap(), stack.topics().results(), campaign)) {
            assertThat(watcher.awaitResults(3, Duration.ofSeconds(90), w -> { })).as("3 results").isTrue();
            results = Map.copyOf(watcher.results());
        }
        for (String unknown : List.of(campaign + "-d360-unknown", campaign + "-meta-unknown")) {
            assertThat(results.get(unknown).outcome()).as(unknown).isEqualTo(Outcome.FAILED);
            assertThat(results.get(unknown).error().code()).as(unknown).isEqualTo(TemplateProblem.UNKNOWN);
        }
        assertThat(results.get(campaign + "-meta-promo").outcome()).isEqualTo(Outcome.ACCEPTED);
        StatsSnapshot d360 = stack.sandbox().stats(SandboxConfig.DEMO_D360_NUMBER_ID);
        StatsSnapshot meta = stack.sandbox().stats(SandboxConfig.DEMO_META_NUMBER_ID);
        assertThat(d360.accepted() + meta.accepted()).as("only the sample's template").isEqualTo(1);
        assertThat(d360.rejectedByCode()).as("the API never saw hello_world").isEmpty();
        assertThat(meta.rejectedByCode()).as("the API never saw hello_world").isEmpty();
    }

    /** The sample's spring_promo as its campaign sends it: an image header and the body's one parameter. */
    private static ObjectNode springPromo(String imageLink) {
        ObjectNode template = TemplateFixtures.job("spring_promo", "en_US");
        ArrayNode components = template.putArray("components");
        components.addObject().put("type", "header").putArray("parameters").addObject().put("type", "image")
                .putObject("image").put("link", imageLink);
        TemplateFixtures.body(components, 1);
        return TemplateFixtures.message(template);
    }
}
