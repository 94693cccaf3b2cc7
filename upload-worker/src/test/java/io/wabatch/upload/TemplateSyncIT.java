package io.wabatch.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.contract.Json;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.secret.Secret;
import io.wabatch.common.template.TemplateCatalogue;
import io.wabatch.common.template.TemplateFixtures;
import io.wabatch.common.template.TemplateProblem;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.sandbox.origin.Route;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The catalogue kept from the API: the upload worker lists both providers' template lists from the
 * sandbox (Meta's paged {@code /message_templates}, 360dialog's {@code /v1/configs/templates}) into
 * {@code wa.templates} on a schedule, follows a template's status and deletion, and lists an account
 * again before refusing a template created since its last listing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TemplateSyncIT {

    /** The sandbox's numbers belong to accounts of their own ids. */
    private static final String META_WABA = SandboxConfig.DEMO_META_NUMBER_ID;
    private static final String D360_WABA = SandboxConfig.DEMO_D360_NUMBER_ID;
    private static final AtomicLong NUMBERS = new AtomicLong(8_000_000);

    @Test
    void scheduledListingsKeepBothProvidersCataloguesCurrentStatusesAndDeletionsIncluded() throws Exception {
        try (UploadStack stack = UploadStack.start("tplsync", Map.of("templates.accounts", "*",
                "templates.sync.interval.ms", "300", "templates.refresh.min.interval.ms", "600000"),
                TemplateSyncIT::registry)) {
            ArrayNode meta = manyTemplates(130);
            meta.add(TemplateFixtures.imageOffer("spring_sale", "en_US", "APPROVED", 2));
            stack.sandbox.setTemplates(META_WABA, meta.toString());
            stack.sandbox.setTemplates(D360_WABA, Json.mapper().createArrayNode()
                    .add(TemplateFixtures.carousel("summer_carousel", "APPROVED", 3))
                    .add(TemplateFixtures.named("order_update")).toString());
            TemplateCatalogue catalogue = stack.worker().templates();

            await("both accounts listed, Meta's over two pages").atMost(Duration.ofSeconds(30))
                    .until(() -> count(catalogue, META_WABA) == 131 && count(catalogue, D360_WABA) == 2);
            assertThat(catalogue.find(D360_WABA, "summer_carousel", "en_US").orElseThrow().cards()).hasSize(3);
            assertThat(catalogue.find(D360_WABA, "order_update", "en_US").orElseThrow().named()).isTrue();
            assertThat(stack.liveKeys(stack.topics.templates())).contains(META_WABA + "/spring_sale/en_US",
                    META_WABA + "/t_129/en_US", META_WABA, D360_WABA + "/summer_carousel/en_US", D360_WABA);

            stack.sandbox.setTemplateStatus(META_WABA, "spring_sale", "en_US", "PAUSED");
            await("the pause listed").atMost(Duration.ofSeconds(30)).until(() ->
                    "PAUSED".equals(catalogue.find(META_WABA, "spring_sale", "en_US").orElseThrow().status()));
            String campaign = "sync-" + UUID.randomUUID().toString().substring(0, 6);
            stack.origin.register("/sync/offer.jpg", Route.bytes(UploadStack.uniqueJpeg("sync"), "image/jpeg"));
            String paused = publish(stack, campaign, "paused");
            assertThat(OutputTail.header(stack.outputs().awaitDeadLetter(paused), Outputs.ERROR_CODE))
                    .isEqualTo(TemplateProblem.PAUSED);

            stack.sandbox.setTemplateStatus(META_WABA, "spring_sale", "en_US", "APPROVED");
            await("the approval listed").atMost(Duration.ofSeconds(30)).until(() ->
                    catalogue.find(META_WABA, "spring_sale", "en_US").orElseThrow().approved());
            String approved = publish(stack, campaign, "approved");
            assertThat(stack.outputs().awaitReadyJob(campaign, approved).message()
                    .at("/template/components/0/parameters/0/image/id").asText()).isNotBlank();

            stack.sandbox.setTemplates(META_WABA, manyTemplates(130).toString());
            await("the deletion listed").atMost(Duration.ofSeconds(30))
                    .until(() -> catalogue.find(META_WABA, "spring_sale", "en_US").isEmpty());
            assertThat(stack.liveKeys(stack.topics.templates())).doesNotContain(META_WABA + "/spring_sale/en_US");
            String deleted = publish(stack, campaign, "deleted");
            ConsumerRecord<byte[], byte[]> dead = stack.outputs().awaitDeadLetter(deleted);
            assertThat(OutputTail.header(dead, Outputs.ERROR_CODE)).isEqualTo(TemplateProblem.UNKNOWN);
            assertThat(stack.origin.requestCount("/sync/offer.jpg")).as("only the approved job's download").isEqualTo(1);
            assertThat(syncs(stack, "failed")).isZero();
        }
    }

    @Test
    void aTemplateCreatedSinceTheLastListingIsListedBeforeItsJobIsJudged() throws Exception {
        try (UploadStack stack = UploadStack.start("tplnew", Map.of("templates.accounts", META_WABA,
                "templates.sync.interval.ms", "3600000", "templates.refresh.min.interval.ms", "0"),
                TemplateSyncIT::registry)) {
            stack.sandbox.setTemplates(META_WABA, Json.mapper().createArrayNode()
                    .add(TemplateFixtures.imageOffer("autumn_sale", "en_US", "APPROVED", 1)).toString());
            stack.worker().templateRefresh().refresh(META_WABA).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            stack.sandbox.setTemplates(META_WABA, Json.mapper().createArrayNode()
                    .add(TemplateFixtures.imageOffer("autumn_sale", "en_US", "APPROVED", 1))
                    .add(TemplateFixtures.imageOffer("spring_sale", "en_US", "APPROVED", 2)).toString());
            stack.origin.register("/sync/offer.jpg", Route.bytes(UploadStack.uniqueJpeg("new"), "image/jpeg"));
            String campaign = "new-" + UUID.randomUUID().toString().substring(0, 6);
            assertThat(stack.worker().templates().find(META_WABA, "spring_sale", "en_US")).isEmpty();
            double listings = syncs(stack, "ok");

            String job = publish(stack, campaign, "created");

            assertThat(stack.outputs().awaitReadyJob(campaign, job).message().at("/template/name").asText())
                    .isEqualTo("spring_sale");
            assertThat(checks(stack, "passed")).isEqualTo(1);
            assertThat(syncs(stack, "ok")).as("the listing before the job was judged").isEqualTo(listings + 1);
            assertThat(stack.worker().templates().find(META_WABA, "spring_sale", "en_US")).isPresent();
        }
    }

    /** The sandbox's two numbers, each channel naming its number's account. */
    private static ChannelRegistry registry(SandboxServer sandbox) {
        URI base = URI.create(sandbox.baseUrl());
        int burst = Channel.defaultBurst(80, Channel.DEFAULT_HEADROOM);
        return ChannelRegistry.of(List.of(
                new Channel(UploadStack.D360, ApiEndpoint.d360(base, Secret.of(SandboxConfig.DEMO_D360_API_KEY)),
                        D360_WABA, 0, 80, Channel.DEFAULT_HEADROOM, burst, Channel.DEFAULT_UPLOAD_RATE),
                new Channel(UploadStack.META, ApiEndpoint.meta(base, ApiEndpoint.DEFAULT_META_API_VERSION,
                        SandboxConfig.DEMO_META_NUMBER_ID, Secret.of(SandboxConfig.DEMO_META_ACCESS_TOKEN)),
                        META_WABA, 1, 80, Channel.DEFAULT_HEADROOM, burst, Channel.DEFAULT_UPLOAD_RATE)));
    }

    /** Utility templates t_000 ... with one body parameter each. */
    private static ArrayNode manyTemplates(int n) {
        ArrayNode templates = Json.mapper().createArrayNode();
        for (int i = 0; i < n; i++) {
            ObjectNode template = templates.addObject().put("name", String.format("t_%03d", i)).put("language", "en_US")
                    .put("status", "APPROVED").put("category", "UTILITY");
            template.putArray("components").addObject().put("type", "BODY").put("text", "Your order {{1}} shipped.");
        }
        return templates;
    }

    private static String publish(UploadStack stack, String campaign, String tag) {
        String jobId = campaign + "-" + tag;
        stack.publish(TestJobs.single(jobId, campaign, UploadStack.META, NUMBERS.incrementAndGet(),
                TemplateFixtures.message(TemplateFixtures.imageOfferJob("spring_sale", "en_US",
                        stack.origin.url("/sync/offer.jpg"), 2))));
        return jobId;
    }

    private static int count(TemplateCatalogue catalogue, String waba) {
        return catalogue.account(waba).isPresent() ? catalogue.keys(waba).size() : -1;
    }

    private static double checks(UploadStack stack, String result) {
        Counter counter = stack.meters.find("wabatch.upload.template.checks").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double syncs(UploadStack stack, String result) {
        Counter counter = stack.meters.find("wabatch.upload.template.syncs").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }
}
