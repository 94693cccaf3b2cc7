package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.wabatch.common.template.TemplateFixtures;
import io.wabatch.common.template.TemplateKeys;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wabatch campaign publish} and {@code templates list} against a template catalogue in its
 * topic: the campaign's category comes from its template unless {@code --category} says otherwise, a
 * mismatch is reported, a template job that cannot succeed publishes nothing; and {@code templates
 * sync} filling such a topic from the sandbox's template lists of both providers.
 */
@Timeout(120)
class TemplateCatalogueCliIT {

    private static final String WABA = "102290129340398";
    private static String prefix;
    private static TopicNames topics;

    @TempDir
    static Path dir;
    private static Path registry;
    private static Path recipients;

    @BeforeAll
    static void catalogue() throws Exception {
        topics = TopicNames.withPrefix("tplcli-" + UUID.randomUUID().toString().substring(0, 8));
        prefix = topics.jobs().substring(0, topics.jobs().length() - ".jobs".length());
        Topics.create(KafkaTestBroker.admin(), topics.specs(1), (short) 1);
        Path key = Files.writeString(dir.resolve("d360.key"), "k");
        registry = Files.writeString(dir.resolve("channels.yaml"), "channels:\n  - id: acme\n    provider: 360dialog\n"
                + "    base_url: http://127.0.0.1:9\n    credential: file:" + key + "\n    waba_id: \"" + WABA + "\"\n"
                + "    partition: 0\n");
        recipients = Files.writeString(dir.resolve("recipients.csv"), "phone\n+49 1523 0000001\n+49 1523 0000002\n");
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            ObjectNode[] templates = {TemplateFixtures.named("order_update"),
                    TemplateFixtures.imageOffer("spring_sale", "en_US", "APPROVED", 1),
                    TemplateFixtures.imageOffer("paused_sale", "en_US", "PAUSED", 1)};
            for (ObjectNode template : templates) {
                producer.send(new ProducerRecord<>(topics.templates(), bytes(TemplateKeys.template(WABA,
                        template.get("name").asText(), "en_US")), Json.bytes(template))).get(30, TimeUnit.SECONDS);
            }
            ObjectNode account = Json.mapper().createObjectNode().put("waba_id", WABA)
                    .put("synced_at", Instant.now().toString()).put("templates", templates.length).put("channel", "acme");
            producer.send(new ProducerRecord<>(topics.templates(), bytes(WABA), Json.bytes(account)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutCategoryTheCampaignTakesItsTemplatesAndADifferentOneIsReported() throws Exception {
        Path utility = message("order_update", named());

        assertThat(publish("order-1", utility)).isZero();
        assertThat(output).contains("category: utility (from template order_update (en_US))");

        assertThat(publish("order-2", utility, "--category", "marketing")).isZero();
        assertThat(errors).contains("category: --category marketing, but template order_update (en_US) is utility");
    }

    @Test
    void aTemplateJobThatCannotSucceedPublishesNothing() throws Exception {
        assertThat(publish("paused-1", message("paused_sale", offer()))).isEqualTo(2);
        assertThat(errors).contains("template: template_paused: template paused_sale (en_US) is PAUSED in account "
                + WABA).contains("nothing was published");

        assertThat(publish("unknown-1", message("winter_sale", offer()))).isEqualTo(2);
        assertThat(errors).contains("template_unknown: template winter_sale is not in account " + WABA);
    }

    @Test
    void theCatalogueIsListed() {
        assertThat(cli("templates", "list", "-b", KafkaTestBroker.bootstrapServers(), "--topic-prefix", prefix))
                .isZero();
        assertThat(output).contains("account " + WABA + ": 3 templates").contains("paused_sale (en_US)")
                .containsPattern("spring_sale \\(en_US\\)\\s+APPROVED\\s+MARKETING\\s+header IMAGE body 1");
    }

    @Test
    void templatesSyncListsEachAccountOfTheRegistryFromTheApi() throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().toBuilder().port(0).build())) {
            String metaWaba = SandboxConfig.DEMO_META_NUMBER_ID;
            String d360Waba = SandboxConfig.DEMO_D360_NUMBER_ID;
            sandbox.setTemplates(metaWaba, Json.mapper().createArrayNode()
                    .add(TemplateFixtures.imageOffer("spring_sale", "en_US", "APPROVED", 1))
                    .add(TemplateFixtures.named("order_update")).toString());
            sandbox.setTemplates(d360Waba, Json.mapper().createArrayNode()
                    .add(TemplateFixtures.carousel("summer_carousel", "APPROVED", 2)).toString());
            Path token = Files.writeString(dir.resolve("meta.token"), SandboxConfig.DEMO_META_ACCESS_TOKEN);
            Path key = Files.writeString(dir.resolve("sandbox-d360.key"), SandboxConfig.DEMO_D360_API_KEY);
            Path channels = Files.writeString(dir.resolve("sandbox-channels.yaml"), "channels:\n"
                    + "  - id: meta\n    provider: meta\n    base_url: " + sandbox.baseUrl() + "\n    api_version: v23.0\n"
                    + "    phone_number_id: \"" + SandboxConfig.DEMO_META_NUMBER_ID + "\"\n    credential: file:" + token
                    + "\n    waba_id: \"" + metaWaba + "\"\n    partition: 0\n"
                    + "  - id: d360\n    provider: 360dialog\n    base_url: " + sandbox.baseUrl() + "\n    credential: file:"
                    + key + "\n    waba_id: \"" + d360Waba + "\"\n    partition: 1\n"
                    + "  - id: not-this-tokens\n    provider: meta\n    base_url: " + sandbox.baseUrl()
                    + "\n    api_version: v23.0\n    phone_number_id: \"" + SandboxConfig.DEMO_META_NUMBER_ID
                    + "\"\n    credential: file:" + token + "\n    waba_id: \"999\"\n    partition: 2\n");
            String syncPrefix = "tplsync-" + UUID.randomUUID().toString().substring(0, 8);
            Topics.create(KafkaTestBroker.admin(), TopicNames.withPrefix(syncPrefix).specs(3), (short) 1);

            assertThat(cli("templates", "sync", "-b", KafkaTestBroker.bootstrapServers(), "--topic-prefix", syncPrefix,
                    "--channels", channels.toString(), "--account", metaWaba, "--account", d360Waba)).isZero();
            assertThat(output).contains("account " + metaWaba + " (channel meta): 2 templates, 2 written, 0 removed")
                    .contains("account " + d360Waba + " (channel d360): 1 template, 1 written, 0 removed");

            sandbox.setTemplateStatus(metaWaba, "spring_sale", "en_US", "PAUSED");
            assertThat(cli("templates", "sync", "-b", KafkaTestBroker.bootstrapServers(), "--topic-prefix", syncPrefix,
                    "--channels", channels.toString())).as("an account the API refuses").isEqualTo(1);
            assertThat(output).contains("account " + metaWaba + " (channel meta): 2 templates, 1 written, 0 removed");
            assertThat(errors).contains("account 999: not listed");

            assertThat(cli("templates", "list", "-b", KafkaTestBroker.bootstrapServers(), "--topic-prefix", syncPrefix))
                    .isZero();
            assertThat(output).containsPattern("spring_sale \\(en_US\\)\\s+PAUSED").contains("summer_carousel (en_US)")
                    .contains("carousel 2 cards").doesNotContain("account 999");
        }
    }

    private static int publish(String campaign, Path message, String... more) {
        String[] args = {"campaign", "publish", "-b", KafkaTestBroker.bootstrapServers(), "--topic-prefix", prefix,
                "--campaign", campaign + "-" + UUID.randomUUID().toString().substring(0, 4), "--channel", "acme",
                "--channels", registry.toString(), "--recipients", recipients.toString(), "--message",
                message.toString(), "--dry-run"};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return cli(all);
    }

    private static ObjectNode named() {
        ObjectNode template = TemplateFixtures.job("order_update", "en_US");
        var parameters = template.putArray("components").addObject().put("type", "body").putArray("parameters");
        parameters.addObject().put("type", "text").put("parameter_name", "first_name").put("text", "Ana");
        parameters.addObject().put("type", "text").put("parameter_name", "order_number").put("text", "42");
        return template;
    }

    private static ObjectNode offer() {
        return TemplateFixtures.imageOfferJob("x", "en_US", "https://cdn.example.com/a.jpg", 1);
    }

    private static Path message(String name, ObjectNode template) throws Exception {
        template.put("name", name);
        return Files.writeString(dir.resolve(name + "-" + UUID.randomUUID() + ".json"),
                Json.mapper().writeValueAsString(TemplateFixtures.message(template)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String output = "";
    private static String errors = "";

    /** Runs the command line in-process, capturing what it prints. */
    private static int cli(String... args) {
        InProcessCli.Run run = InProcessCli.run(args);
        output = run.output();
        errors = run.errors();
        return run.exit();
    }
}
