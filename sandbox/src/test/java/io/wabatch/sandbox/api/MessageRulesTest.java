package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.json;
import static io.wabatch.sandbox.api.TestSandbox.strictJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.wabatch.sandbox.api.RawHttp.Response;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every documented {@code /messages} rule, one raw request each, on both providers. */
@Timeout(60)
class MessageRulesTest {

    private static final String HEAD = "'messaging_product':'whatsapp','to':'+4915112345678',";
    private static final String LINK = "'link':'https://cdn.example.com/f'";
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
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
            arguments("text", msg("'type':'text','text':{'body':'hi','preview_url':false}")),
            arguments("type defaults to text", msg("'text':{'body':'hi'}")),
            arguments("recipient_type individual", msg("'recipient_type':'individual','text':{'body':'hi'}")),
            arguments("to with spaces, dashes, parens", json("{'messaging_product':'whatsapp',"
                + "'to':'+1 (650) 555-1234','text':{'body':'hi'}}")),
            arguments("to of 7 digits", json("{'messaging_product':'whatsapp','to':'1234567','text':{'body':'x'}}")),
            arguments("to of 15 digits", json("{'messaging_product':'whatsapp','to':'123456789012345',"
                + "'text':{'body':'x'}}")),
            arguments("text of 4096 chars", msg("'text':{'body':'" + "a".repeat(4096) + "'}")),
            arguments("image link + caption", msg("'type':'image','image':{" + LINK + ",'caption':'c'}")),
            arguments("video link + 1024-char caption", msg("'type':'video','video':{" + LINK + ",'caption':'"
                + "é".repeat(1024) + "'}")),
            arguments("document link + caption + filename", msg("'type':'document','document':{" + LINK
                + ",'caption':'c','filename':'a.pdf'}")),
            arguments("audio link", msg("'type':'audio','audio':{'link':'http://cdn.example.com/a.ogg'}")),
            arguments("sticker link", msg("'type':'sticker','sticker':{" + LINK + "}")),
            arguments("template minimal", msg("'type':'template','template':{'name':'hello_world',"
                + "'language':{'code':'en_US'}}")),
            arguments("template with components", msg("'type':'template','template':{'name':'sale',"
                + "'language':{'code':'de'},'components':[{'type':'header','parameters':[{'type':'image',"
                + "'image':{" + LINK + "}}]},{'type':'body','parameters':[{'type':'text','text':'Ann'},"
                + "{'type':'currency','currency':{'fallback_value':'$1','code':'USD','amount_1000':1000}},"
                + "{'type':'date_time','date_time':{'fallback_value':'today'}}]},{'type':'button',"
                + "'sub_type':'quick_reply','index':'0','parameters':[{'type':'payload','payload':'p'}]},"
                + "{'type':'button','sub_type':'url','index':1,'parameters':[{'type':'text','text':'x'}]}]}")),
            arguments("parameter types in capitals", template("[{'type':'header','parameters':[{'type':'IMAGE',"
                + "'image':{" + LINK + "}}]},{'type':'body','parameters':[{'type':'TEXT','text':'Ann'},"
                + "{'type':'Text','text':'Bob'},{'type':'Currency','currency':{'fallback_value':'$1','code':'USD',"
                + "'amount_1000':1000}}]},{'type':'button','sub_type':'quick_reply','index':0,'parameters':[{"
                + "'type':'PAYLOAD','payload':'p'}]}]")),
            arguments("template carousel", msg("'type':'template','template':{'name':'c','language':{'code':"
                + "'en'},'components':[{'type':'carousel','cards':[{'card_index':0,'components':[{'type':"
                + "'header','parameters':[{'type':'video','video':{" + LINK + "}}]}]},{'card_index':1,"
                + "'components':[{'type':'header','parameters':[{'type':'video','video':{" + LINK + "}}]}]}]}]}")),
            arguments("interactive", msg("'type':'interactive','interactive':{'type':'button','body':"
                + "{'text':'b'},'action':{'buttons':[]}}")),
            arguments("interactive image header", msg("'type':'interactive','interactive':{'type':'button',"
                + "'header':{'type':'image','image':{" + LINK + "}}}")),
            arguments("location", msg("'type':'location','location':{'latitude':1.5,'longitude':'-2.25'}")),
            arguments("contacts", msg("'type':'contacts','contacts':[{'name':{'formatted_name':'A B'}}]")),
            arguments("reaction", msg("'type':'reaction','reaction':{'message_id':'wamid.x','emoji':''}")),
            arguments("unknown fields are ignored", msg("'text':{'body':'hi'},'extra':{'a':1}")),
            arguments("callback of 512 bytes", msg("'text':{'body':'hi'},'biz_opaque_callback_data':'"
                + "x".repeat(512) + "'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void validMessagesAreAccepted(String name, String body) {
        assertThat(sandbox.sendMeta(body).status()).as(name).isEqualTo(200);
        assertThat(sandbox.send360(body).status()).as(name).isEqualTo(200);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
            arguments("body not JSON", "not json", 100),
            arguments("body empty", "", 100),
            arguments("body a JSON array", "[]", 100),
            arguments("messaging_product missing", json("{'to':'4915112345678','text':{'body':'hi'}}"), 100),
            arguments("messaging_product wrong", json("{'messaging_product':'sms','to':'4915112345678',"
                + "'text':{'body':'hi'}}"), 100),
            arguments("recipient_type group", msg("'recipient_type':'group','text':{'body':'hi'}"), 131009),
            arguments("to missing", json("{'messaging_product':'whatsapp','text':{'body':'hi'}}"), 131008),
            arguments("to with letters", json("{'messaging_product':'whatsapp','to':'49abc12345',"
                + "'text':{'body':'hi'}}"), 131009),
            arguments("to of 6 digits", json("{'messaging_product':'whatsapp','to':'123456','text':{'body':'x'}}"),
                131009),
            arguments("to of 16 digits", json("{'messaging_product':'whatsapp','to':'1234567890123456',"
                + "'text':{'body':'x'}}"), 131009),
            arguments("type unknown", msg("'type':'poll','poll':{}"), 131051),
            arguments("type object missing", msg("'type':'image'"), 131008),
            arguments("type object not an object", msg("'type':'image','image':'https://x.org/a.jpg'"), 131009),
            arguments("text body missing", msg("'type':'text','text':{'preview_url':true}"), 131008),
            arguments("text body empty", msg("'type':'text','text':{'body':''}"), 131008),
            arguments("text of 4097 chars", msg("'text':{'body':'" + "a".repeat(4097) + "'}"), 131009),
            arguments("media without id or link", msg("'type':'image','image':{'caption':'c'}"), 131008),
            arguments("media with id and link", msg("'type':'image','image':{'id':'1'," + LINK + "}"), 131009),
            arguments("link not http(s)", msg("'type':'image','image':{'link':'ftp://x.org/a.jpg'}"), 131009),
            arguments("link relative", msg("'type':'video','video':{'link':'/a.mp4'}"), 131009),
            arguments("link placeholder", msg("'type':'image','image':{'link':'http(s)://image-url'}"), 131009),
            arguments("caption on audio", msg("'type':'audio','audio':{" + LINK + ",'caption':'c'}"), 131009),
            arguments("caption on sticker", msg("'type':'sticker','sticker':{" + LINK + ",'caption':'c'}"), 131009),
            arguments("caption of 1025 chars", msg("'type':'image','image':{" + LINK + ",'caption':'"
                + "c".repeat(1025) + "'}"), 131009),
            arguments("filename on image", msg("'type':'image','image':{" + LINK + ",'filename':'a.jpg'}"), 131009),
            arguments("template name missing", msg("'type':'template','template':{'language':{'code':'en'}}"),
                131008),
            arguments("template language missing", msg("'type':'template','template':{'name':'t'}"), 131008),
            arguments("template language.code missing", msg("'type':'template','template':{'name':'t',"
                + "'language':{'policy':'deterministic'}}"), 131008),
            arguments("template components not an array", template("{'type':'body'}"), 131009),
            arguments("component type missing", template("[{'parameters':[]}]"), 131008),
            arguments("component type unknown", template("[{'type':'sidebar'}]"), 131009),
            arguments("component type HEADER", template("[{'type':'HEADER','parameters':[{'type':'image',"
                + "'image':{" + LINK + "}}]}]"), 131009),
            arguments("component type Body", template("[{'type':'Body','parameters':[{'type':'text','text':'a'}]}]"),
                131009),
            arguments("parameter IMAGE with its value under IMAGE", template("[{'type':'header','parameters':[{"
                + "'type':'IMAGE','IMAGE':{" + LINK + "}}]}]"), 131008),
            arguments("button sub_type missing", template("[{'type':'button','index':0}]"), 131008),
            arguments("button index missing", template("[{'type':'button','sub_type':'url'}]"), 131008),
            arguments("button index not a number", template("[{'type':'button','sub_type':'url','index':'x'}]"),
                131009),
            arguments("parameter type missing", template("[{'type':'body','parameters':[{'text':'a'}]}]"), 131008),
            arguments("parameter type unknown", template("[{'type':'body','parameters':[{'type':'gif',"
                + "'gif':{}}]}]"), 131009),
            arguments("text parameter without text", template("[{'type':'body','parameters':[{'type':'text'}]}]"),
                131008),
            arguments("currency parameter incomplete", template("[{'type':'body','parameters':[{'type':"
                + "'currency','currency':{'code':'USD','fallback_value':'$1'}}]}]"), 131008),
            arguments("image parameter with id and link", template("[{'type':'header','parameters':[{'type':"
                + "'image','image':{'id':'1'," + LINK + "}}]}]"), 131009),
            arguments("document parameter without id or link", template("[{'type':'header','parameters':[{"
                + "'type':'document','document':{'filename':'a.pdf'}}]}]"), 131008),
            arguments("interactive type missing", msg("'type':'interactive','interactive':{'body':{'text':'b'}}"),
                131008),
            arguments("interactive header media with bad link", msg("'type':'interactive','interactive':{"
                + "'type':'button','header':{'type':'video','video':{'link':'nope'}}}"), 131009),
            arguments("location latitude missing", msg("'type':'location','location':{'longitude':1}"), 131008),
            arguments("contacts without name", msg("'type':'contacts','contacts':[{'phones':[]}]"), 131008),
            arguments("reaction message_id missing", msg("'type':'reaction','reaction':{'emoji':'x'}"), 131008),
            arguments("callback over 512 bytes", msg("'text':{'body':'hi'},'biz_opaque_callback_data':'"
                + "x".repeat(513) + "'"), 131009));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("rejected")
    void invalidMessagesAreRejectedWithTheDocumentedCode(String name, String body, int code) {
        for (Response response : new Response[] {sandbox.sendMeta(body), sandbox.send360(body)}) {
            assertThat(response.status()).as(name + ": " + response.body()).isEqualTo(400);
            assertThat(response.code()).as(name + ": " + response.body()).isEqualTo(code);
            assertThat(response.message()).startsWith("(#" + code + ") ");
            assertThat(response.details()).isNotBlank();
        }
        assertThat(sandbox.server.stats(TestSandbox.META_ID).accepted()).isZero();
        assertThat(sandbox.server.stats(TestSandbox.META_ID).rejectedByCode()).containsEntry(code, 1L);
    }

    @Test
    void upperCaseComponentTypeIsRefusedNamingThePathAndTheDocumentedTypes() {
        Response response = sandbox.sendMeta(template("[{'type':'body'},{'type':'HEADER'}]"));

        assertThat(response.code()).isEqualTo(131009);
        assertThat(response.details()).contains("template.components[1].type", "'HEADER'",
                "lower case: header, body, footer, button, carousel, limited_time_offer");
    }

    @Test
    void capitalParameterTypeIsReadUnderItsLowerCaseName() {
        Response response = sandbox.sendMeta(template("[{'type':'header','parameters':[{'type':'IMAGE',"
                + "'image':{'link':'ftp://x.org/a.jpg'}}]}]"));

        assertThat(response.code()).isEqualTo(131009);
        assertThat(response.details()).contains("template.components[0].parameters[0].image.link");
    }

    private static String msg(String rest) {
        return strictJson("{" + HEAD + rest + "}");
    }

    private static String template(String components) {
        return msg("'type':'template','template':{'name':'t','language':{'code':'en'},'components':"
                + components + "}");
    }
}
