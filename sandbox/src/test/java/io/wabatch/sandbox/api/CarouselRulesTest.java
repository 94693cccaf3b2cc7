package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.strictJson;
import static io.wabatch.sandbox.api.TestSandbox.interactive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.wabatch.sandbox.api.RawHttp.Response;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both media carousels, template ({@code components[type=carousel]}) and interactive
 * ({@code interactive.type = carousel}): 2 to 10 cards, unique indexes, an image or video header of
 * one type on every card; interactive cards also one kind and number of buttons.
 */
@Timeout(60)
class CarouselRulesTest {

    private static final String LINK = "'link':'https://cdn.example.com/c'";
    private static final String CTA = "'action':{'name':'cta_url','parameters':{'display_text':'Buy',"
            + "'url':'https://shop.example.com/p'}}";
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

    static Stream<Arguments> acceptedTemplateCarousels() {
        return Stream.of(
            arguments("2 image cards", templateCarousel(2, CarouselRulesTest::imageCard)),
            arguments("10 image cards", templateCarousel(10, CarouselRulesTest::imageCard)),
            arguments("3 video cards", templateCarousel(3, CarouselRulesTest::videoCard)),
            arguments("card_index as digit strings", templateCarousel(2, i -> "{'card_index':'" + i
                + "','components':[" + header("image") + "]}")),
            arguments("IMAGE and TEXT parameter types in the cards", templateCarousel(2, i -> "{'card_index':" + i
                + ",'components':[{'type':'header','parameters':[{'type':'IMAGE','image':{" + LINK + "}}]},"
                + "{'type':'body','parameters':[{'type':'TEXT','text':'x'}]}]}")),
            arguments("cards with body and buttons", templateCarousel(2, i -> "{'card_index':" + i
                + ",'components':[" + header("video") + ",{'type':'body','parameters':[{'type':'text','text':"
                + "'t'}]},{'type':'button','sub_type':'quick_reply','index':0,'parameters':[{'type':'payload',"
                + "'payload':'p'}]},{'type':'button','sub_type':'url','index':'1','parameters':[{'type':'text',"
                + "'text':'u'}]}]}")),
            arguments("product card carousel (header parameter of type product)", templateCarousel(2, i ->
                "{'card_index':" + i + ",'components':[{'type':'header','parameters':[{'type':'product','product':"
                + "{'product_retailer_id':'sku-" + i + "','catalog_id':'194836987003835'}}]}]}")),
            arguments("carousel after a body component", template("[{'type':'body','parameters':[{'type':'text',"
                + "'text':'a'}]},{'type':'carousel','cards':[" + imageCard(0) + "," + imageCard(1) + "]}]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedTemplateCarousels")
    void validTemplateCarouselsAreAccepted(String name, String body) {
        assertThat(sandbox.sendMeta(body).status()).as(name).isEqualTo(200);
        assertThat(sandbox.send360(body).status()).as(name).isEqualTo(200);
    }

    static Stream<Arguments> rejectedTemplateCarousels() {
        return Stream.of(
            arguments("1 card", templateCarousel(1, CarouselRulesTest::imageCard), 131009),
            arguments("11 cards", templateCarousel(11, CarouselRulesTest::imageCard), 131009),
            arguments("no cards", template("[{'type':'carousel'}]"), 131008),
            arguments("cards not an array", template("[{'type':'carousel','cards':" + imageCard(0) + "}]"), 131009),
            arguments("image and video mixed", template("[{'type':'carousel','cards':[" + imageCard(0) + ","
                + videoCard(1) + "]}]"), 131009),
            arguments("a card without a header", template("[{'type':'carousel','cards':[" + imageCard(0)
                + ",{'card_index':1,'components':[{'type':'body','parameters':[{'type':'text','text':'x'}]}]}]}]"),
                131008),
            arguments("a card without components", template("[{'type':'carousel','cards':[" + imageCard(0)
                + ",{'card_index':1}]}]"), 131008),
            arguments("a header without parameters", template("[{'type':'carousel','cards':[" + imageCard(0)
                + ",{'card_index':1,'components':[{'type':'header'}]}]}]"), 131008),
            arguments("a document header", templateCarousel(2, i -> "{'card_index':" + i + ",'components':["
                + "{'type':'header','parameters':[{'type':'document','document':{" + LINK + "}}]}]}"), 131009),
            arguments("a text header", template("[{'type':'carousel','cards':[" + imageCard(0) + ",{'card_index':1,"
                + "'components':[{'type':'header','parameters':[{'type':'text','text':'x'}]}]}]}]"), 131009),
            arguments("duplicate card_index", template("[{'type':'carousel','cards':[" + imageCard(0) + ","
                + imageCard(0) + "]}]"), 131009),
            arguments("duplicate card_index, number and string", template("[{'type':'carousel','cards':["
                + imageCard(1) + ",{'card_index':'1','components':[" + header("image") + "]}]}]"), 131009),
            arguments("card_index missing", template("[{'type':'carousel','cards':[" + imageCard(0)
                + ",{'components':[" + header("image") + "]}]}]"), 131008),
            arguments("card_index negative", templateCarousel(2, i -> "{'card_index':" + (i - 1)
                + ",'components':[" + header("image") + "]}"), 131009),
            arguments("card component type HEADER", templateCarousel(2, i -> "{'card_index':" + i
                + ",'components':[{'type':'HEADER','parameters':[{'type':'image','image':{" + LINK + "}}]}]}"),
                131009),
            arguments("card image with a bad link", template("[{'type':'carousel','cards':[" + imageCard(0)
                + ",{'card_index':1,'components':[{'type':'header','parameters':[{'type':'image','image':"
                + "{'link':'ftp://x.org/a.jpg'}}]}]}]}]"), 131009));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("rejectedTemplateCarousels")
    void invalidTemplateCarouselsAreRejectedWithTheirCode(String name, String body, int code) {
        assertRejected(name, body, code);
    }

    @Test
    void theCardCountErrorSaysHowManyCardsCame() {
        Response one = sandbox.sendMeta(templateCarousel(1, CarouselRulesTest::imageCard));
        Response eleven = sandbox.sendMeta(templateCarousel(11, CarouselRulesTest::imageCard));

        assertThat(one.details()).contains("template.components[0].cards", "2 to 10 cards, got 1");
        assertThat(eleven.details()).contains("template.components[0].cards", "2 to 10 cards, got 11");
    }

    @Test
    void mixedHeadersNameBothCards() {
        Response response = sandbox.sendMeta(template("[{'type':'carousel','cards':[" + imageCard(0) + ","
                + imageCard(1) + "," + videoCard(2) + "]}]"));

        assertThat(response.code()).isEqualTo(131009);
        assertThat(response.details()).contains("cards[2].components[0].parameters[0]' is video",
                "cards[0].components[0].parameters[0]' is image", "one media type");
    }

    @Test
    void aCardWithoutAHeaderIsNamed() {
        Response response = sandbox.sendMeta(template("[{'type':'carousel','cards':[" + imageCard(0)
                + ",{'card_index':1,'components':[{'type':'body','parameters':[{'type':'text','text':'x'}]}]}]}]"));

        assertThat(response.code()).isEqualTo(131008);
        assertThat(response.details()).contains("template.components[0].cards[1]", "no header");
    }

    @Test
    void cardMediaByIdAreAcceptedAndNotCountedAsLinks() {
        String imageId = sandbox.uploadSampleMeta("sample.jpg");

        Response response = sandbox.sendMeta(templateCarousel(2, i -> "{'card_index':" + i + ",'components':["
                + "{'type':'header','parameters':[{'type':'image','image':{'id':'" + imageId + "'}}]}]}"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(sandbox.server.stats(META_ID).linkMedia()).isZero();
    }

    static Stream<Arguments> acceptedInteractiveCarousels() {
        return Stream.of(
            arguments("product cards (no header, a product in the action)", interactiveCarousel(2, i ->
                "{'card_index':" + i + ",'type':'product','action':{'product_retailer_id':'sku-" + i + "',"
                + "'catalog_id':'194836987003835'}}")),
            arguments("cta_url cards", interactiveCarousel(2, i -> ctaCard(i, "image"))),
            arguments("quick-reply cards, two buttons each", interactiveCarousel(2, i -> replyCard(i, "video", 2))),
            arguments("10 cards", interactiveCarousel(10, i -> ctaCard(i, "image"))),
            arguments("card_index as digit strings", interactiveCarousel(3, i -> "{'card_index':'" + i + "',"
                + "'type':'cta_url','header':{'type':'image','image':{" + LINK + "}}," + CTA + "}")),
            arguments("cards without body", interactiveCarousel(2, i -> "{'card_index':" + i + ",'header':{'type':"
                + "'video','video':{" + LINK + "}}," + CTA + "}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedInteractiveCarousels")
    void validInteractiveCarouselsAreAccepted(String name, String body) {
        assertThat(sandbox.sendMeta(body).status()).as(name).isEqualTo(200);
        assertThat(sandbox.send360(body).status()).as(name).isEqualTo(200);
    }

    static Stream<Arguments> rejectedInteractiveCarousels() {
        String two = ctaCard(0, "image") + "," + ctaCard(1, "image");
        return Stream.of(
            arguments("1 card", interactiveCarousel(1, i -> ctaCard(i, "image")), 131009),
            arguments("11 cards", interactiveCarousel(11, i -> ctaCard(i, "image")), 131009),
            arguments("body missing", interactive("'type':'carousel','action':{'cards':[" + two + "]}"), 131008),
            arguments("body text missing", interactive("'type':'carousel','body':{},'action':{'cards':[" + two
                + "]}"), 131008),
            arguments("a message header", interactive("'type':'carousel','header':{'type':'text','text':'h'},"
                + "'body':{'text':'b'},'action':{'cards':[" + two + "]}"), 131009),
            arguments("a message footer", interactive("'type':'carousel','footer':{'text':'f'},'body':{'text':'b'},"
                + "'action':{'cards':[" + two + "]}"), 131009),
            arguments("action missing", interactive("'type':'carousel','body':{'text':'b'}"), 131008),
            arguments("cards missing", interactive("'type':'carousel','body':{'text':'b'},'action':{}"), 131008),
            arguments("a card without header", interactiveCarousel(2, i -> i == 0 ? ctaCard(0, "image")
                : "{'card_index':1," + CTA + "}"), 131008),
            arguments("a document header", interactiveCarousel(2, i -> ctaCard(i, "document")), 131009),
            arguments("a text header", interactiveCarousel(2, i -> "{'card_index':" + i + ",'header':{'type':'text',"
                + "'text':'t'}," + CTA + "}"), 131009),
            arguments("header type IMAGE", interactiveCarousel(2, i -> "{'card_index':" + i + ",'header':{'type':"
                + "'IMAGE','image':{" + LINK + "}}," + CTA + "}"), 131009),
            arguments("image header without image", interactiveCarousel(2, i -> "{'card_index':" + i + ",'header':"
                + "{'type':'image'}," + CTA + "}"), 131008),
            arguments("header image with a bad link", interactiveCarousel(2, i -> "{'card_index':" + i + ",'header':"
                + "{'type':'image','image':{'link':'nope'}}," + CTA + "}"), 131009),
            arguments("image and video mixed", interactiveCarousel(2, i -> ctaCard(i, i == 0 ? "image" : "video")),
                131009),
            arguments("duplicate card_index", interactiveCarousel(2, i -> ctaCard(0, "image")), 131009),
            arguments("card_index not a number", interactiveCarousel(2, i -> "{'card_index':'x" + i + "','header':"
                + "{'type':'image','image':{" + LINK + "}}," + CTA + "}"), 131009),
            arguments("card_index missing", interactiveCarousel(2, i -> "{'header':{'type':'image','image':{" + LINK
                + "}}," + CTA + "}"), 131008),
            arguments("buttons of different kinds", interactiveCarousel(2, i -> i == 0 ? ctaCard(0, "image")
                : replyCard(1, "image", 1)), 131009),
            arguments("buttons of different counts", interactiveCarousel(2, i -> replyCard(i, "image", i + 1)),
                131009),
            arguments("card action missing", interactiveCarousel(2, i -> "{'card_index':" + i + ",'header':{'type':"
                + "'image','image':{" + LINK + "}}}"), 131008),
            arguments("card action without name or buttons", interactiveCarousel(2, i -> card(i, "image",
                "'action':{'parameters':{'url':'https://x.org'}}")), 131008),
            arguments("card action name not cta_url", interactiveCarousel(2, i -> card(i, "image",
                "'action':{'name':'url','parameters':{}}")), 131009),
            arguments("cta_url without parameters", interactiveCarousel(2, i -> card(i, "image",
                "'action':{'name':'cta_url'}")), 131008),
            arguments("empty buttons", interactiveCarousel(2, i -> card(i, "image", "'action':{'buttons':[]}")),
                131009),
            arguments("a reply button instead of quick_reply", interactiveCarousel(2, i -> card(i, "image",
                "'action':{'buttons':[{'type':'reply','reply':{'id':'a','title':'A'}}]}")), 131009),
            arguments("name and buttons together", interactiveCarousel(2, i -> card(i, "image",
                "'action':{'name':'cta_url','parameters':{},'buttons':[" + quickReply(0) + "]}")), 131009));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("rejectedInteractiveCarousels")
    void invalidInteractiveCarouselsAreRejectedWithTheirCode(String name, String body, int code) {
        assertRejected(name, body, code);
    }

    @Test
    void differentButtonsNameTheCardAndBothShapes() {
        Response response = sandbox.sendMeta(interactiveCarousel(3, i -> i < 2 ? replyCard(i, "image", 2)
                : replyCard(i, "image", 1)));

        assertThat(response.code()).isEqualTo(131009);
        assertThat(response.details()).contains("interactive.action.cards[2].action", "1 quick_reply button",
                "2 quick_reply buttons", "same kind and number of buttons");
    }

    @Test
    void linkCardsOfAnInteractiveCarouselCountAsLinkMediaAndCardsByIdDoNot() {
        String videoId = sandbox.uploadSampleMeta("sample.mp4");
        String byId = interactiveCarousel(2, i -> "{'card_index':" + i + ",'header':{'type':'video','video':{'id':'"
                + videoId + "'}}," + CTA + "}");

        assertThat(sandbox.sendMeta(interactiveCarousel(3, i -> ctaCard(i, "video"))).status()).isEqualTo(200);
        assertThat(sandbox.sendMeta(byId).status()).isEqualTo(200);

        assertThat(sandbox.server.stats(META_ID).accepted()).isEqualTo(2);
        assertThat(sandbox.server.stats(META_ID).linkMedia()).isEqualTo(3);
    }

    static void assertRejected(String name, String body, int code) {
        sandbox.assertRejected(name, body, code);
    }

    private static String imageCard(int index) {
        return "{'card_index':" + index + ",'components':[" + header("image") + "]}";
    }

    private static String videoCard(int index) {
        return "{'card_index':" + index + ",'components':[" + header("video") + "]}";
    }

    private static String header(String media) {
        return "{'type':'header','parameters':[{'type':'" + media + "','" + media + "':{" + LINK + "}}]}";
    }

    private static String templateCarousel(int cards, IntFunction<String> card) {
        String all = IntStream.range(0, cards).mapToObj(card).collect(Collectors.joining(","));
        return template("[{'type':'carousel','cards':[" + all + "]}]");
    }

    private static String ctaCard(int index, String media) {
        return "{'card_index':" + index + ",'type':'cta_url','header':{'type':'" + media + "','" + media + "':{"
                + LINK + "}},'body':{'text':'Card " + index + "'}," + CTA + "}";
    }

    private static String replyCard(int index, String media, int buttons) {
        String all = IntStream.range(0, buttons).mapToObj(CarouselRulesTest::quickReply)
                .collect(Collectors.joining(","));
        return card(index, media, "'action':{'buttons':[" + all + "]}");
    }

    private static String quickReply(int i) {
        return "{'type':'quick_reply','quick_reply':{'id':'q" + i + "','title':'Learn more " + i + "'}}";
    }

    private static String card(int index, String media, String action) {
        return "{'card_index':" + index + ",'header':{'type':'" + media + "','" + media + "':{" + LINK + "}},"
                + action + "}";
    }

    private static String interactiveCarousel(int cards, IntFunction<String> card) {
        String all = IntStream.range(0, cards).mapToObj(card).collect(Collectors.joining(","));
        return interactive("'type':'carousel','body':{'text':'Our picks'},'action':{'cards':[" + all + "]}");
    }

    private static String template(String components) {
        return strictJson("{'messaging_product':'whatsapp','to':'+4915112345678','type':'template','template':"
                + "{'name':'carousel_offer','language':{'code':'en'},'components':" + components + "}}");
    }
}
