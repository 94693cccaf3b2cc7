package io.wabatch.upload;

import static io.wabatch.upload.UploadStack.D360;
import static io.wabatch.upload.UploadStack.META;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.template.TemplateFixtures;
import io.wabatch.common.template.TemplateKeys;
import io.wabatch.common.template.TemplateProblem;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.sandbox.origin.Route;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 18's must-show for the template catalogue: jobs with a wrong parameter count, a wrong card count,
 * an unknown template and a paused template each end in {@code wa.dlq} before any upload or API call (the
 * sandbox saw no upload and no message, the media origin no download of their links), a job that fits
 * its template passes, and a channel whose account has no catalogue passes unchecked, as before.
 *
 * <p>The catalogue is written to its topic as a listing writes it, after the worker started: the
 * worker follows the topic.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TemplateCatalogueIT {

    /** The Meta channel's account in {@link UploadStack#registry}. */
    private static final String WABA = "102290129340398";
    private static final AtomicLong NUMBERS = new AtomicLong(7_000_000);
    private static UploadStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = UploadStack.start("templates", Map.of("templates.refresh.min.interval.ms", "600000"));
        MediaOrigin origin = stack.origin;
        for (String path : List.of("/bad/count.jpg", "/bad/cards.jpg", "/bad/unknown.jpg", "/bad/paused.jpg",
                "/good/offer.jpg", "/unchecked/offer.jpg")) {
            origin.register(path, Route.bytes(UploadStack.uniqueJpeg(path), "image/jpeg"));
        }
        catalogue(TemplateFixtures.imageOffer("spring_sale", "en_US", "APPROVED", 2),
                TemplateFixtures.imageOffer("paused_sale", "en_US", "PAUSED", 2),
                TemplateFixtures.carousel("summer_carousel", "APPROVED", 3));
        await("the worker follows the catalogue topic").atMost(Duration.ofSeconds(30))
                .until(() -> stack.worker().templates().account(WABA).isPresent());
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void jobsThatCannotSucceedEndInTheDlqBeforeAnyUploadOrApiCallAndAFittingOnePasses() {
        String campaign = "tpl-" + UUID.randomUUID().toString().substring(0, 6);
        record Bad(String jobId, ObjectNode message, String code, String reason, String link) {
        }
        List<Bad> bad = List.of(
                new Bad(campaign + "-count", offer("spring_sale", "/bad/count.jpg", 3), TemplateProblem.MISMATCH,
                        "template spring_sale (en_US) body takes 2 parameters, the job gives 3", "/bad/count.jpg"),
                new Bad(campaign + "-cards", TemplateFixtures.message(TemplateFixtures.carouselJob("summer_carousel", 2,
                        stack.origin.url("/bad/cards.jpg"))), TemplateProblem.MISMATCH,
                        "template summer_carousel (en_US) carousel has 3 cards, the job gives 2", "/bad/cards.jpg"),
                new Bad(campaign + "-unknown", offer("winter_sale", "/bad/unknown.jpg", 2), TemplateProblem.UNKNOWN,
                        "template winter_sale is not in account " + WABA + "'s catalogue (3 templates",
                        "/bad/unknown.jpg"),
                new Bad(campaign + "-paused", offer("paused_sale", "/bad/paused.jpg", 2), TemplateProblem.PAUSED,
                        "template paused_sale (en_US) is PAUSED in account " + WABA, "/bad/paused.jpg"));
        bad.forEach(b -> stack.publish(TestJobs.single(b.jobId(), campaign, META, NUMBERS.incrementAndGet(),
                b.message())));

        for (Bad b : bad) {
            ConsumerRecord<byte[], byte[]> dead = stack.outputs().awaitDeadLetter(b.jobId());
            assertThat(OutputTail.header(dead, Outputs.ERROR_CODE)).as(b.jobId()).isEqualTo(b.code());
            assertThat(OutputTail.header(dead, Outputs.ERROR_REASON)).as(b.jobId()).contains(b.reason());
            assertThat(OutputTail.header(dead, Outputs.ERROR_STAGE)).isEqualTo("upload");
            JobResult result = stack.outputs().awaitResult(campaign, b.jobId());
            assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(result.error().code()).isEqualTo(b.code());
            assertThat(stack.origin.requestCount(b.link())).as("downloads of %s", b.link()).isZero();
        }
        StatsSnapshot api = stack.sandbox.stats(SandboxConfig.DEMO_META_NUMBER_ID);
        assertThat(api.uploads()).as("uploads the sandbox saw").isZero();
        assertThat(api.accepted()).as("messages the sandbox accepted").isZero();
        assertThat(stack.outputs().ready(campaign)).isEmpty();
        assertThat(checks("failed")).isEqualTo(4);

        String good = campaign + "-good";
        stack.publish(TestJobs.single(good, campaign, META, NUMBERS.incrementAndGet(),
                offer("spring_sale", "/good/offer.jpg", 2)));

        ReadyJob ready = stack.outputs().awaitReadyJob(campaign, good);
        assertThat(ready.message().at("/template/components/0/parameters/0/image/id").asText()).isNotBlank();
        assertThat(stack.origin.requestCount("/good/offer.jpg")).isEqualTo(1);
        assertThat(stack.sandbox.stats(SandboxConfig.DEMO_META_NUMBER_ID).uploads()).isEqualTo(1);
        assertThat(checks("passed")).isEqualTo(1);
        assertThat(stack.worker().failure()).isNull();
    }

    @Test
    void aChannelWhoseAccountHasNoCatalogueIsNotChecked() {
        String campaign = "unchecked-" + UUID.randomUUID().toString().substring(0, 6);
        double before = checks("unchecked");
        // The 360dialog channel has no waba_id: a template no catalogue knows is sent as before.
        stack.publish(TestJobs.single(campaign + "-job", campaign, D360, NUMBERS.incrementAndGet(),
                offer("not_in_any_catalogue", "/unchecked/offer.jpg", 5)));

        ReadyJob ready = stack.outputs().awaitReadyJob(campaign, campaign + "-job");
        assertThat(ready.message().at("/template/name").asText()).isEqualTo("not_in_any_catalogue");
        assertThat(checks("unchecked")).isEqualTo(before + 1);
    }

    private static ObjectNode offer(String name, String path, int bodyParameters) {
        return TemplateFixtures.message(TemplateFixtures.imageOfferJob(name, "en_US", stack.origin.url(path),
                bodyParameters));
    }

    /** Writes templates and the account's record to the catalogue topic, as a complete listing does. */
    private static void catalogue(ObjectNode... templates) {
        for (ObjectNode template : templates) {
            String key = TemplateKeys.template(WABA, template.get("name").asText(), template.get("language").asText());
            stack.send(new ProducerRecord<>(stack.topics.templates(), bytes(key), Json.bytes(template)));
        }
        ObjectNode account = Json.mapper().createObjectNode().put("waba_id", WABA)
                .put("synced_at", Instant.now().toString()).put("templates", templates.length).put("channel", META);
        stack.send(new ProducerRecord<>(stack.topics.templates(), bytes(TemplateKeys.account(WABA)),
                Json.bytes(account)));
    }

    private static double checks(String result) {
        Counter counter = stack.meters.find("wabatch.upload.template.checks").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
