package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.interactive;
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

/** Interactive headers: which types, where, and what each holds; raw requests on both providers. */
@Timeout(60)
class InteractiveRulesTest {

    private static final String LINK = "'link':'https://cdn.example.com/f'";
    private static final String BUTTONS = "'action':{'buttons':[{'type':'reply','reply':{'id':'a','title':'A'}}]}";
    private static final String LIST_ACTION = "'action':{'button':'Pick','sections':[{'title':'S','rows':"
            + "[{'id':'r','title':'R'}]}]}";
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
            arguments("reply buttons, image header", buttons("{'type':'image','image':{" + LINK + "}}")),
            arguments("reply buttons, video header", buttons("{'type':'video','video':{" + LINK + "}}")),
            arguments("reply buttons, document header", buttons("{'type':'document','document':{" + LINK
                + ",'filename':'a.pdf'}}")),
            arguments("reply buttons, text header", buttons("{'type':'text','text':'Hello'}")),
            arguments("reply buttons, no header", interactive("'type':'button','body':{'text':'b'}," + BUTTONS)),
            arguments("list, text header", interactive("'type':'list','header':{'type':'text','text':'H'},"
                + "'body':{'text':'b'}," + LIST_ACTION)),
            arguments("product_list, text header", interactive("'type':'product_list','header':{'type':'text',"
                + "'text':'H'},'body':{'text':'b'},'action':{'catalog_id':'1','sections':[]}")),
            arguments("header null counts as absent", interactive("'type':'button','header':null,"
                + "'body':{'text':'b'}," + BUTTONS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void validInteractiveMessagesAreAccepted(String name, String body) {
        assertThat(sandbox.sendMeta(body).status()).as(name).isEqualTo(200);
        assertThat(sandbox.send360(body).status()).as(name).isEqualTo(200);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
            arguments("list, image header", interactive("'type':'list','header':{'type':'image','image':{"
                + LINK + "}},'body':{'text':'b'}," + LIST_ACTION), 131009),
            arguments("product_list, video header", interactive("'type':'product_list','header':{'type':'video',"
                + "'video':{" + LINK + "}},'body':{'text':'b'},'action':{'catalog_id':'1','sections':[]}"), 131009),
            arguments("header not an object", buttons("'Hello'"), 131009),
            arguments("header type missing", buttons("{'text':'Hello'}"), 131008),
            arguments("header type IMAGE", buttons("{'type':'IMAGE','image':{" + LINK + "}}"), 131009),
            arguments("header type Text", buttons("{'type':'Text','text':'Hello'}"), 131009),
            arguments("header type audio", buttons("{'type':'audio','audio':{" + LINK + "}}"), 131009),
            arguments("header type sticker", buttons("{'type':'sticker','sticker':{" + LINK + "}}"), 131009),
            arguments("text header without text", buttons("{'type':'text'}"), 131008),
            arguments("text header with empty text", buttons("{'type':'text','text':''}"), 131008),
            arguments("image header without image", buttons("{'type':'image','link':'https://x.org/a.jpg'}"), 131008),
            arguments("document header without id or link", buttons("{'type':'document','document':{"
                + "'filename':'a.pdf'}}"), 131008),
            arguments("image header with a filename", buttons("{'type':'image','image':{" + LINK
                + ",'filename':'a.jpg'}}"), 131009),
            arguments("video header with a bad link", buttons("{'type':'video','video':{'link':'nope'}}"), 131009));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("rejected")
    void invalidInteractiveMessagesAreRejectedWithTheirCode(String name, String body, int code) {
        assertRejected(name, body, code);
    }

    @Test
    void aListWithAnImageHeaderIsRefusedSayingOnlyTextIsAllowed() {
        Response response = sandbox.sendMeta(interactive("'type':'list','header':{'type':'image','image':{"
                + LINK + "}},'body':{'text':'b'}," + LIST_ACTION));

        assertThat(response.code()).isEqualTo(131009);
        assertThat(response.details()).contains("interactive.header.type", "'image'", "text header only");
    }

    static void assertRejected(String name, String body, int code) {
        sandbox.assertRejected(name, body, code);
    }

    private static String buttons(String header) {
        return interactive("'type':'button','header':" + header + ",'body':{'text':'b'}," + BUTTONS);
    }
}
