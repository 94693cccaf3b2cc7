package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.template.TemplateFixtures;
import io.wabatch.common.template.TemplateProblem;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoStack;
import io.wabatch.ops.demo.ResultsWatcher;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.sandbox.origin.Route;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 18's catalogue must-show through the whole pipeline, the sandbox holding the account's template
 * catalogue and enforcing it as the API does (132000, 132001, 132012, 132015): the upload worker lists
 * it, the jobs with a wrong parameter count, a wrong card count, an unknown and a paused template end
 * failed with their template_* codes and the sandbox sees none of them (no upload, no request, no
 * rejection), while the job that fits is sent and accepted.
 */
@Timeout(180)
class TemplateCataloguePipelineIT {

    private static final String WABA = SandboxConfig.DEMO_META_NUMBER_ID;
    private static DemoStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        String prefix = "tplpipe-" + UUID.randomUUID().toString().substring(0, 8);
        stack = DemoStack.start(DemoOptions.forTest(KafkaTestBroker.bootstrapServers(), prefix,
                Map.of("templates.accounts", WABA, "templates.sync.interval.ms", "500")));
        stack.sandbox().setTemplates(WABA, Json.mapper().createArrayNode()
                .add(TemplateFixtures.imageOffer("spring_sale", "en_US", "APPROVED", 2))
                .add(TemplateFixtures.imageOffer("paused_sale", "en_US", "PAUSED", 2))
                .add(TemplateFixtures.carousel("summer_carousel", "APPROVED", 3)).toString());
        await("the upload worker lists the sandbox's catalogue").atMost(Duration.ofSeconds(30))
                .until(() -> stack.uploadWorker().templates().keys(WABA).size() == 3
                        && stack.uploadWorker().templates().account(WABA).isPresent());
        for (String path : List.of("/t/count.jpg", "/t/cards.jpg", "/t/unknown.jpg", "/t/paused.jpg", "/t/good.jpg")) {
            stack.origin().register(path, Route.bytes(uniqueJpeg(path), "image/jpeg"));
        }
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void jobsThatCannotSucceedNeverReachTheApiAndTheJobThatFitsIsAccepted() {
        String campaign = "tplpipe-" + UUID.randomUUID().toString().substring(0, 6);
        List<ObjectNode> jobs = new ArrayList<>();
        jobs.add(job(campaign, "count", offer("spring_sale", "/t/count.jpg", 3)));
        jobs.add(job(campaign, "cards", TemplateFixtures.message(TemplateFixtures.carouselJob("summer_carousel", 2,
                stack.origin().url("/t/cards.jpg")))));
        jobs.add(job(campaign, "unknown", offer("winter_sale", "/t/unknown.jpg", 2)));
        jobs.add(job(campaign, "paused", offer("paused_sale", "/t/paused.jpg", 2)));
        jobs.add(job(campaign, "good", offer("spring_sale", "/t/good.jpg", 2)));
        Jobs.publish(stack.bootstrap(), stack.topics().jobs(), jobs);

        Map<String, JobResult> results;
        try (ResultsWatcher watcher = new ResultsWatcher(stack.bootstrap(), stack.topics().results(), campaign)) {
            assertThat(watcher.awaitResults(5, Duration.ofSeconds(90), w -> { })).as("5 results").isTrue();
            results = Map.copyOf(watcher.results());
        }
        assertThat(results.get(campaign + "-count").error().code()).isEqualTo(TemplateProblem.MISMATCH);
        assertThat(results.get(campaign + "-count").error().details())
                .contains("template spring_sale (en_US) body takes 2 parameters, the job gives 3");
        assertThat(results.get(campaign + "-cards").error().details())
                .contains("template summer_carousel (en_US) carousel has 3 cards, the job gives 2");
        assertThat(results.get(campaign + "-unknown").error().code()).isEqualTo(TemplateProblem.UNKNOWN);
        assertThat(results.get(campaign + "-paused").error().code()).isEqualTo(TemplateProblem.PAUSED);
        assertThat(results.get(campaign + "-good").outcome()).isEqualTo(Outcome.ACCEPTED);

        StatsSnapshot api = stack.sandbox().stats(SandboxConfig.DEMO_META_NUMBER_ID);
        assertThat(api.accepted()).as("only the job that fits").isEqualTo(1);
        assertThat(api.uploads()).as("only its header image").isEqualTo(1);
        assertThat(api.rejectedByCode()).as("the sandbox refused nothing: it never saw the others").isEmpty();
        for (String path : List.of("/t/count.jpg", "/t/cards.jpg", "/t/unknown.jpg", "/t/paused.jpg")) {
            assertThat(stack.origin().requestCount(path)).as("downloads of %s", path).isZero();
        }
        assertThat(stack.origin().requestCount("/t/good.jpg")).isEqualTo(1);
    }

    private static ObjectNode job(String campaign, String tag, ObjectNode message) {
        return Jobs.single(campaign + "-" + tag, campaign, DemoStack.META_CHANNEL,
                "+4915123" + String.format("%06d", Math.abs(tag.hashCode()) % 1_000_000), message);
    }

    private static ObjectNode offer(String name, String path, int bodyParameters) {
        return TemplateFixtures.message(TemplateFixtures.imageOfferJob(name, "en_US", stack.origin().url(path),
                bodyParameters));
    }

    /** A JPEG no other test serves: the bundled sample with a trailer after its end marker. */
    private static byte[] uniqueJpeg(String tag) {
        byte[] sample = MediaOrigin.sample("sample.jpg");
        byte[] trailer = (tag + "/" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[sample.length + trailer.length];
        System.arraycopy(sample, 0, bytes, 0, sample.length);
        System.arraycopy(trailer, 0, bytes, sample.length, trailer.length);
        return bytes;
    }
}
