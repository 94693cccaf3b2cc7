package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.D360_ID;
import static io.wabatch.sandbox.api.TestSandbox.D360_KEY;
import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.META_TOKEN;
import static io.wabatch.sandbox.api.TestSandbox.OTHER_ID;
import static io.wabatch.sandbox.api.TestSandbox.OTHER_TOKEN;
import static io.wabatch.sandbox.api.TestSandbox.json;
import static io.wabatch.sandbox.api.TestSandbox.strictJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.api.templates.TemplateCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Template catalogues per WhatsApp Business Account: the template lists and the checks of template sends. */
@Timeout(60)
class TemplateCatalogueTest {

    private static final String IMAGE = "{'type':'image','image':{'link':'https://cdn.example.com/a.jpg'}}";
    private static final String VIDEO = "{'type':'video','video':{'link':'https://cdn.example.com/a.mp4'}}";
    private static final String DOCUMENT = "{'type':'document','document':{'link':'https://cdn.example.com/a.pdf'}}";
    private static TestSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
        sandbox.server.setTemplates(META_ID, TemplateCatalogue.sample());
        sandbox.server.setTemplates(D360_ID, TemplateCatalogue.sample());
        sandbox.server.setTemplates(OTHER_ID, (TemplateCatalogue) null);
        sandbox.server.setMarketingMessagesOnboarded(META_ID, true);
    }

    /** A template message; {@code components} is the components array (or empty), ' for ". */
    static String template(String name, String language, String components) {
        return strictJson("{'messaging_product':'whatsapp','to':'+4915112345678','type':'template','template':{"
                + "'name':'" + name + "','language':{'code':'" + language + "'}"
                + (components.isEmpty() ? "" : ",'components':" + components) + "}}");
    }

    static String body(String... texts) {
        List<String> parameters = new ArrayList<>();
        for (String text : texts) {
            parameters.add("{'type':'text','text':'" + text + "'}");
        }
        return "{'type':'body','parameters':[" + String.join(",", parameters) + "]}";
    }

    static String header(String... parameters) {
        return "{'type':'header','parameters':[" + String.join(",", parameters) + "]}";
    }

    static String card(int index, String media, String... bodyTexts) {
        return "{'card_index':" + index + ",'components':[" + header(media) + "," + body(bodyTexts) + "]}";
    }

    static String carousel(String... cards) {
        return "{'type':'carousel','cards':[" + String.join(",", cards) + "]}";
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
            arguments("hello_world, no parameters", template("hello_world", "en_US", "")),
            arguments("image header and two body parameters", template("summer_sale", "en_US",
                "[" + header(IMAGE) + "," + body("Ann", "SUMMER25") + "]")),
            arguments("the same name in another language", template("summer_sale", "de",
                "[" + header(IMAGE) + "," + body("Ann", "SUMMER25") + "]")),
            arguments("named parameters", template("order_update", "en_US", "[{'type':'header','parameters':[{"
                + "'type':'text','parameter_name':'order_id','text':'A-1'}]},{'type':'body','parameters':[{'type':"
                + "'text','parameter_name':'first_name','text':'Ann'},{'type':'text','parameter_name':'order_id',"
                + "'text':'A-1'}]}]")),
            arguments("document header", template("invoice_ready", "en_US", "[" + header(DOCUMENT) + ","
                + body("INV-7") + "]")),
            arguments("video header, parameter type in capitals", template("product_video", "en_US", "["
                + header("{'type':'VIDEO','video':{'link':'https://cdn.example.com/a.mp4'}}") + "," + body("x")
                + "]")),
            arguments("carousel of the template's two cards", template("spring_picks", "en_US", "[" + body("Ann")
                + "," + carousel(card(0, IMAGE, "$80"), card(1, IMAGE, "$120")) + "]")),
            arguments("authentication template to a phone number", template("login_code", "en_US", "["
                + body("123456") + ",{'type':'button','sub_type':'url','index':'0','parameters':[{'type':'text',"
                + "'text':'123456'}]}]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void templatesThatFitTheCatalogueAreAccepted(String name, String body) {
        Response meta = sandbox.sendMeta(body);
        Response d360 = sandbox.send360(body);

        assertThat(meta.status()).as(meta.body()).isEqualTo(200);
        assertThat(d360.status()).as(d360.body()).isEqualTo(200);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
            arguments("unknown name", template("no_such_template", "en_US", ""), 132001),
            arguments("known name, other language", template("summer_sale", "fr",
                "[" + header(IMAGE) + "," + body("Ann", "X") + "]"), 132001),
            arguments("pending template", template("new_arrivals", "en_US", "[" + body("Ann") + "]"), 132001),
            arguments("paused template", template("winter_clearance", "en_US", "[" + body("50%") + "]"), 132015),
            arguments("disabled template", template("black_friday_2025", "en_US", "[" + body("50%") + "]"), 132016),
            arguments("one body parameter of two", template("summer_sale", "en_US",
                "[" + header(IMAGE) + "," + body("Ann") + "]"), 132000),
            arguments("body parameters for a body without placeholders", template("hello_world", "en_US",
                "[" + body("Ann") + "]"), 132000),
            arguments("no header for an image header", template("summer_sale", "en_US",
                "[" + body("Ann", "X") + "]"), 132012),
            arguments("video for an image header", template("summer_sale", "en_US",
                "[" + header(VIDEO) + "," + body("Ann", "X") + "]"), 132012),
            arguments("two header parameters", template("summer_sale", "en_US",
                "[" + header(IMAGE, IMAGE) + "," + body("Ann", "X") + "]"), 132000),
            arguments("a header for a template without one", template("invoice_ready", "en_US",
                "[" + header(DOCUMENT) + "," + body("INV-7") + "]").replace("invoice_ready", "login_code"), 132000),
            arguments("text header parameters missing", template("order_update", "en_US", "[{'type':'body',"
                + "'parameters':[{'type':'text','parameter_name':'first_name','text':'Ann'},{'type':'text',"
                + "'parameter_name':'order_id','text':'A-1'}]}]"), 132000),
            arguments("an unknown parameter name", template("order_update", "en_US", "[{'type':'header',"
                + "'parameters':[{'type':'text','parameter_name':'order_id','text':'A-1'}]},{'type':'body',"
                + "'parameters':[{'type':'text','parameter_name':'name','text':'Ann'},{'type':'text',"
                + "'parameter_name':'order_id','text':'A-1'}]}]"), 132000),
            arguments("three cards for two", template("spring_picks", "en_US", "[" + body("Ann") + ","
                + carousel(card(0, IMAGE, "a"), card(1, IMAGE, "b"), card(2, IMAGE, "c")) + "]"), 132012),
            arguments("video cards for image cards", template("spring_picks", "en_US", "[" + body("Ann") + ","
                + carousel(card(0, VIDEO, "a"), card(1, VIDEO, "b")) + "]"), 132012),
            arguments("no carousel for a carousel template", template("spring_picks", "en_US",
                "[" + body("Ann") + "]"), 132012),
            arguments("a card's body parameters", template("spring_picks", "en_US", "[" + body("Ann") + ","
                + carousel(card(0, IMAGE, "a", "extra"), card(1, IMAGE, "b")) + "]"), 132000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void templatesThatDoNotFitAreRefused(String name, String body, int code) {
        sandbox.assertRejected(name, body, code);
    }

    @Test
    void theErrorsHaveGraphsMessagesAndDetails() {
        Response missing = sandbox.sendMeta(template("no_such_template", "en_US", ""));
        Response count = sandbox.sendMeta(template("summer_sale", "en_US", "[" + header(IMAGE) + ","
                + body("Ann") + "]"));
        Response format = sandbox.sendMeta(template("summer_sale", "en_US", "[" + body("Ann", "X") + "]"));
        Response paused = sandbox.sendMeta(template("winter_clearance", "en_US", "[" + body("50%") + "]"));
        Response disabled = sandbox.sendMeta(template("black_friday_2025", "en_US", "[" + body("50%") + "]"));

        assertThat(missing.message()).isEqualTo("(#132001) Template name does not exist in the translation");
        assertThat(missing.details()).isEqualTo("template name (no_such_template) does not exist in en_US");
        assertThat(count.message()).isEqualTo("(#132000) Number of parameters does not match the expected number"
                + " of params");
        assertThat(count.details()).isEqualTo("body: number of localizable_params (1) does not match the expected"
                + " number of params (2)");
        assertThat(format.message()).isEqualTo("(#132012) Parameter format does not match format in the created"
                + " template");
        assertThat(format.details()).isEqualTo("header: Format mismatch, expected IMAGE, received UNKNOWN");
        assertThat(paused.message()).isEqualTo("(#132015) Template is Paused");
        assertThat(disabled.message()).isEqualTo("(#132016) Template is Disabled");
        assertThat(sandbox.server.stats(META_ID).rejectedByCode()).containsKeys(132000, 132001, 132012, 132015,
                132016);
    }

    @Test
    void oneTapZeroTapAndCopyCodeAuthenticationTemplatesCannotGoToABsuid() {
        String bsuid = sandbox.server.bsuid(META_ID, "+4915112345678");
        String copyCode = template("login_code", "en_US", "[" + body("123456") + "]")
                .replace("\"to\":\"+4915112345678\"", "\"recipient\":\"" + bsuid + "\"");
        String oneTap = copyCode.replace("login_code", "login_code_one_tap");
        String marketing = template("hello_world", "en_US", "")
                .replace("\"to\":\"+4915112345678\"", "\"recipient\":\"" + bsuid + "\"");
        String both = template("login_code", "en_US", "[" + body("123456") + "]")
                .replace("\"to\":", "\"recipient\":\"" + bsuid + "\",\"to\":");

        Response refused = sandbox.sendMeta(copyCode);
        assertThat(refused.code()).isEqualTo(131062);
        assertThat(refused.message()).isEqualTo("(#131062) Business-scoped User ID recipients are not supported for"
                + " this message");
        assertThat(sandbox.sendMeta(oneTap).code()).isEqualTo(131062);
        assertThat(sandbox.sendMeta(marketing).status()).isEqualTo(200);
        assertThat(sandbox.sendMeta(both).status()).as("to wins").isEqualTo(200);
        String withoutCatalogue = copyCode.replace(bsuid, sandbox.server.bsuid(OTHER_ID, "+4915112345678"));
        assertThat(sandbox.sendMeta(OTHER_ID, OTHER_TOKEN, withoutCatalogue).status()).as("no catalogue, no check")
                .isEqualTo(200);
    }

    @Test
    void anAccountWithoutACatalogueSendsAnyTemplate() {
        assertThat(sandbox.sendMeta(OTHER_ID, OTHER_TOKEN, template("no_such_template", "xx", "[" + body("a")
                + "]")).status()).isEqualTo(200);
        assertThat(SandboxConfig.defaults().templates()).as("the demo numbers have none").isEmpty();
        assertThat(sandbox.server.templates(OTHER_ID)).isNull();
    }

    @Test
    void theMarketingMessagesApiTakesMarketingTemplatesOnly() {
        String url = sandbox.server.metaBaseUrl() + "/" + META_ID + "/marketing_messages";
        Response utility = sandbox.http.send("POST", url, "Authorization", "Bearer " + META_TOKEN,
                template("invoice_ready", "en_US", "[" + header(DOCUMENT) + "," + body("INV-7") + "]"));
        Response marketing = sandbox.http.send("POST", url, "Authorization", "Bearer " + META_TOKEN,
                template("hello_world", "en_US", ""));

        assertThat(utility.code()).isEqualTo(131055);
        assertThat(utility.message()).isEqualTo("(#131055) Method not allowed");
        assertThat(utility.details()).startsWith("Only marketing template messages are supported");
        assertThat(marketing.status()).as(marketing.body()).isEqualTo(200);
    }

    @Test
    void metasListServesTheCatalogueInPages() {
        String url = sandbox.server.metaBaseUrl() + "/" + META_ID + "/message_templates?limit=5";
        List<JsonNode> all = new ArrayList<>();
        JsonNode page = get(url, "Authorization", "Bearer " + META_TOKEN);
        JsonNode first = page;
        while (true) {
            page.get("data").forEach(all::add);
            if (!page.path("paging").has("next")) {
                break;
            }
            page = get(page.at("/paging/next").asText(), "Authorization", "Bearer " + META_TOKEN);
        }

        assertThat(first.get("data")).hasSize(5);
        assertThat(first.at("/paging/cursors/before").asText()).isNotBlank();
        assertThat(first.at("/paging/cursors/after").asText()).isNotBlank();
        assertThat(all).hasSize(TemplateCatalogue.sample().templates().size());
        JsonNode hello = all.get(0);
        assertThat(hello.get("name").asText()).isEqualTo("hello_world");
        assertThat(hello.get("language").asText()).isEqualTo("en_US");
        assertThat(hello.get("status").asText()).isEqualTo("APPROVED");
        assertThat(hello.get("category").asText()).isEqualTo("MARKETING");
        assertThat(hello.get("id").asText()).isEqualTo("1192339204654487");
        assertThat(hello.at("/components/0/format").asText()).isEqualTo("TEXT");
        assertThat(get(sandbox.server.metaBaseUrl() + "/" + META_ID + "/message_templates?name=summer_sale",
                "Authorization", "Bearer " + META_TOKEN).get("data")).hasSize(2);
        assertThat(get(sandbox.server.metaBaseUrl() + "/" + META_ID + "/message_templates?status=PAUSED",
                "Authorization", "Bearer " + META_TOKEN).at("/data/0/name").asText()).isEqualTo("winter_clearance");
    }

    @Test
    void metasListNeedsATokenOfTheAccount() {
        String url = sandbox.server.metaBaseUrl() + "/" + META_ID + "/message_templates";

        Response noToken = sandbox.http.send("GET", url, null, null, null);
        Response otherAccount = sandbox.http.send("GET", url, "Authorization", "Bearer " + OTHER_TOKEN, null);
        Response otherList = sandbox.http.send("GET", sandbox.server.metaBaseUrl() + "/" + OTHER_ID
                + "/message_templates", "Authorization", "Bearer " + OTHER_TOKEN, null);

        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.code()).isEqualTo(190);
        assertThat(otherAccount.status()).isEqualTo(400);
        assertThat(otherAccount.code()).isEqualTo(100);
        assertThat(otherAccount.json().at("/error/error_subcode").asInt()).isEqualTo(33);
        assertThat(otherList.status()).isEqualTo(200);
        assertThat(otherList.json().get("data")).isEmpty();
    }

    @Test
    void dialogsListServesTheNumbersCatalogue() {
        JsonNode all = get(sandbox.server.baseUrl() + "/v1/configs/templates", "D360-API-KEY", D360_KEY);
        JsonNode page = get(sandbox.server.baseUrl() + "/v1/configs/templates?limit=3&offset=10", "D360-API-KEY",
                D360_KEY);

        int size = TemplateCatalogue.sample().templates().size();
        assertThat(all.get("waba_templates")).hasSize(size);
        assertThat(all.get("count").asInt()).isEqualTo(size);
        assertThat(all.get("total").asInt()).isEqualTo(size);
        assertThat(all.at("/waba_templates/0/name").asText()).isEqualTo("hello_world");
        assertThat(all.at("/waba_templates/0/status").asText()).isEqualTo("approved");
        assertThat(page.get("waba_templates")).hasSize(size - 10);
        assertThat(page.get("offset").asInt()).isEqualTo(10);
        assertThat(sandbox.http.send("GET", sandbox.server.baseUrl() + "/v1/configs/templates", "D360-API-KEY",
                "wrong", null).status()).isEqualTo(401);
    }

    @Test
    void theAdminEndpointSetsReadsAndRemovesACatalogue() {
        String one = json("[{'name':'only_one','language':'en','category':'UTILITY','components':[{'type':'BODY',"
                + "'text':'Hi {{1}}'}]}]");

        Response put = sandbox.admin("PUT", "/_sandbox/templates/" + OTHER_ID, one);
        Response read = sandbox.admin("GET", "/_sandbox/templates/" + OTHER_ID, null);
        Response sent = sandbox.sendMeta(OTHER_ID, OTHER_TOKEN, template("only_one", "en", "[" + body("Ann") + "]"));
        Response unknown = sandbox.sendMeta(OTHER_ID, OTHER_TOKEN, template("hello_world", "en_US", ""));
        Response bad = sandbox.admin("PUT", "/_sandbox/templates/" + OTHER_ID, json("[{'name':'x','language':'en',"
                + "'category':'PROMO'}]"));
        Response noAccount = sandbox.admin("PUT", "/_sandbox/templates/nope", one);
        Response all = sandbox.admin("GET", "/_sandbox/templates", null);
        Response deleted = sandbox.admin("DELETE", "/_sandbox/templates/" + OTHER_ID, null);

        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().at("/0/status").asText()).as("defaults to APPROVED").isEqualTo("APPROVED");
        assertThat(put.json().at("/0/id").asText()).matches("\\d{15}");
        assertThat(read.json()).isEqualTo(put.json());
        assertThat(sent.status()).isEqualTo(200);
        assertThat(unknown.code()).isEqualTo(132001);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("category");
        assertThat(noAccount.status()).isEqualTo(404);
        assertThat(all.json().get(META_ID)).hasSize(TemplateCatalogue.sample().templates().size());
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(sandbox.admin("GET", "/_sandbox/templates/" + OTHER_ID, null).status()).isEqualTo(404);
        assertThat(sandbox.sendMeta(OTHER_ID, OTHER_TOKEN, template("hello_world", "en_US", "")).status())
                .isEqualTo(200);
    }

    @Test
    void aTemplatesStatusChangesAtRuntime() {
        sandbox.server.setTemplateStatus(META_ID, "hello_world", "en_US", "PAUSED");
        assertThat(sandbox.sendMeta(template("hello_world", "en_US", "")).code()).isEqualTo(132015);
        sandbox.server.setTemplateStatus(META_ID, "hello_world", "en_US", "APPROVED");
        assertThat(sandbox.sendMeta(template("hello_world", "en_US", "")).status()).isEqualTo(200);
        assertThatThrownBy(() -> sandbox.server.setTemplateStatus(META_ID, "hello_world", "en_US", "ASLEEP"))
                .hasMessageContaining("status");
    }

    @Test
    void theConfigFileGivesAccountsCatalogues(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("shop.json"), json("[{'name':'from_file','language':'en',"
                + "'category':'MARKETING'}]"));
        Path config = Files.writeString(dir.resolve("sandbox.json"), json("{'numbers':[{'id':'111',"
                + "'access_token':'t','waba_id':'900'},{'id':'222','access_token':'t'},{'id':'333','api_key':'k'}],"
                + "'templates':{'900':'sample','222':'shop.json','333':[{'name':'inline','language':'en',"
                + "'category':'UTILITY'}]}}"));
        Path unknown = Files.writeString(dir.resolve("unknown.json"), json("{'numbers':[{'id':'111',"
                + "'access_token':'t'}],'templates':{'999':'sample'}}"));
        Path broken = Files.writeString(dir.resolve("broken.json"), json("{'numbers':[{'id':'111',"
                + "'access_token':'t'}],'templates':{'111':[{'name':'x'}]}}"));

        SandboxConfig read = SandboxConfig.fromJson(config);

        assertThat(read.templates().get("900")).isEqualTo(TemplateCatalogue.sample());
        assertThat(read.templates().get("222").templates().get(0).name()).isEqualTo("from_file");
        assertThat(read.templates().get("333").find("inline", "en")).isPresent();
        assertThat(read.toBuilder().build()).isEqualTo(read);
        assertThatThrownBy(() -> SandboxConfig.fromJson(unknown)).hasMessageContaining("'999'");
        assertThatThrownBy(() -> SandboxConfig.fromJson(broken)).hasMessageContaining("templates.111")
                .hasMessageContaining("language");
    }

    private JsonNode get(String url, String header, String value) {
        Response response = sandbox.http.send("GET", url, header, value, null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
