package io.wabatch.common.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Message bodies written by us for every position a media object can sit in
 * (whatsapp-api-facts §9), shaped as Meta's and 360dialog's docs show them, each with links; and
 * the carousel and header rule breakers. Shared by the validator's, the walker's and the upload
 * worker's tests and by the end-to-end test that publishes them with kcat.
 *
 * <p>Links are made by a function of a file name ({@code card-3.jpg}, {@code reply.mp4}): the
 * unit tests give fixed URLs, the end-to-end test its media origin's. Every name is distinct per
 * body, so the number of distinct media of a body is its number of links.
 */
public final class MediaPositionCorpus {

    /**
     * A valid body.
     *
     * @param name     what it shows
     * @param message  the message body (no {@code to})
     * @param pointers the JSON pointers of its media objects, in document order
     */
    public record Body(String name, ObjectNode message, List<String> pointers) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A body the API refuses.
     *
     * @param name    what rule it breaks
     * @param message the message body
     * @param path    the field the validator blames
     * @param reason  words its reason contains
     */
    public record Breaker(String name, ObjectNode message, String path, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private MediaPositionCorpus() {
    }

    /** Every position, in lower case and with parameter types in capitals. */
    public static List<Body> bodies(Function<String, String> link) {
        List<Body> bodies = new ArrayList<>();
        bodies.add(body("media message", "{'type':'image','image':{'link':'" + link.apply("message.jpg") + "'}}",
                "/image"));
        for (String[] media : new String[][] {{"image", "reply.jpg"}, {"video", "reply.mp4"}, {"document", "reply.pdf"}}) {
            bodies.add(body("reply buttons with " + media[0] + " header", "{'type':'interactive','interactive':{"
                    + "'type':'button','header':{'type':'" + media[0] + "','" + media[0] + "':{'link':'"
                    + link.apply(media[1]) + "'" + (media[0].equals("document") ? ",'filename':'terms.pdf'" : "")
                    + "}},'body':{'text':'Shall we keep your seat?'},'action':{'buttons':["
                    + "{'type':'reply','reply':{'id':'yes','title':'Yes'}},"
                    + "{'type':'reply','reply':{'id':'no','title':'No'}}]}}}", "/interactive/header/" + media[0]));
        }
        bodies.add(templateCarousel("template carousel of 2 image cards", "image", "image", 2, "c2-", link));
        bodies.add(templateCarousel("template carousel of 10 image cards", "image", "image", 10, "c10-", link));
        bodies.add(templateCarousel("template carousel of video cards", "video", "video", 3, "cv-", link));
        bodies.add(interactiveCarousel("interactive media carousel with URL buttons", "image", 3, true, link));
        bodies.add(interactiveCarousel("interactive media carousel with quick replies", "video", 2, false, link));
        bodies.add(limitedTimeOffer("limited-time offer", "image", link.apply("offer.jpg")));
        bodies.add(body("document-header template", "{'type':'template','template':{'name':'invoice_ready',"
                + "'language':{'code':'en_US'},'components':[{'type':'header','parameters':[{'type':'document',"
                + "'document':{'link':'" + link.apply("invoice.pdf") + "','filename':'invoice.pdf'}}]},"
                + "{'type':'body','parameters':[{'type':'text','text':'INV-42'}]}]}}",
                "/template/components/0/parameters/0/document"));
        bodies.add(body("template image header with types in capitals", "{'type':'template','template':{"
                + "'name':'spring_sale','language':{'code':'en_US'},'components':[{'type':'header','parameters':"
                + "[{'type':'IMAGE','image':{'link':'" + link.apply("caps-header.jpg") + "'}}]},{'type':'body',"
                + "'parameters':[{'type':'TEXT','text':'Ana'}]}]}}", "/template/components/0/parameters/0/image"));
        bodies.add(templateCarousel("template carousel with types in capitals", "IMAGE", "image", 2, "caps-", link));
        bodies.add(limitedTimeOffer("limited-time offer with types in capitals", "Image", link.apply("caps-offer.jpg")));
        return bodies;
    }

    /** The carousel and header rules, broken one at a time. */
    public static List<Breaker> breakers(Function<String, String> link) {
        String cards = "message.template.components[1].cards";
        String interactiveCards = "message.interactive.action.cards";
        ObjectNode mixed = templateCarousel("", "image", "image", 3, "mixed-", link).message();
        ObjectNode video = (ObjectNode) mixed.at("/template/components/1/cards/2/components/0/parameters/0");
        video.put("type", "video");
        video.set("video", video.remove("image"));
        ObjectNode headless = templateCarousel("", "image", "image", 2, "headless-", link).message();
        ((com.fasterxml.jackson.databind.node.ArrayNode) headless.at("/template/components/1/cards/1/components"))
                .remove(0);
        ObjectNode duplicateIndex = templateCarousel("", "image", "image", 2, "dup-", link).message();
        ((ObjectNode) duplicateIndex.at("/template/components/1/cards/1")).put("card_index", 0);
        ObjectNode mixedButtons = interactiveCarousel("", "image", 2, true, link).message();
        ((ObjectNode) mixedButtons.at("/interactive/action/cards/1")).set("action", node(
                "{'buttons':[{'type':'quick_reply','quick_reply':{'id':'a','title':'Learn more'}}]}"));
        ObjectNode documentCard = interactiveCarousel("", "image", 2, true, link).message();
        ((ObjectNode) documentCard.at("/interactive/action/cards/0")).set("header", node(
                "{'type':'document','document':{'link':'" + link.apply("card.pdf") + "'}}"));
        ObjectNode mixedCards = interactiveCarousel("", "image", 2, true, link).message();
        ((ObjectNode) mixedCards.at("/interactive/action/cards/1")).set("header", node(
                "{'type':'video','video':{'link':'" + link.apply("mixed-card.mp4") + "'}}"));
        ObjectNode withHeader = interactiveCarousel("", "image", 2, true, link).message();
        ((ObjectNode) withHeader.get("interactive")).set("header", node("{'type':'text','text':'Hi'}"));
        ObjectNode upperComponent = templateCarousel("", "image", "image", 2, "upper-", link).message();
        ((ObjectNode) upperComponent.at("/template/components/0")).put("type", "HEADER");
        return List.of(
                new Breaker("template carousel of 1 card",
                        templateCarousel("", "image", "image", 1, "one-", link).message(), cards, "has 1 card"),
                new Breaker("template carousel of 11 cards",
                        templateCarousel("", "image", "image", 11, "eleven-", link).message(), cards, "has 11 cards"),
                new Breaker("template carousel of mixed image and video", mixed, cards + "[2].components",
                        "all cards of a carousel have headers of one type"),
                new Breaker("template carousel card without a header", headless, cards + "[1].components",
                        "has no header"),
                new Breaker("template carousel with a card index twice", duplicateIndex, cards + "[1].card_index",
                        "card indexes are unique"),
                new Breaker("interactive carousel of 1 card", interactiveCarousel("", "image", 1, true, link).message(),
                        interactiveCards, "has 1 card"),
                new Breaker("interactive carousel with buttons of two kinds", mixedButtons,
                        interactiveCards + "[1].action", "buttons of one kind and count"),
                new Breaker("interactive carousel of mixed image and video", mixedCards,
                        interactiveCards + "[1].header.type", "headers of one type"),
                new Breaker("interactive carousel card with a document header", documentCard,
                        interactiveCards + "[0].header.type", "can be image, video"),
                new Breaker("interactive carousel with a message header", withHeader, "message.interactive.header",
                        "not allowed on a carousel"),
                new Breaker("list with an image header", node("{'type':'interactive','interactive':{'type':'list',"
                        + "'header':{'type':'image','image':{'link':'" + link.apply("list.jpg") + "'}},"
                        + "'body':{'text':'Pick'},'action':{'button':'Menu','sections':[{'title':'A','rows':"
                        + "[{'id':'1','title':'One'}]}]}}}"), "message.interactive.header.type", "can be text"),
                new Breaker("interactive header type in capitals", node("{'type':'interactive','interactive':{"
                        + "'type':'button','header':{'type':'IMAGE','image':{'link':'" + link.apply("upper.jpg")
                        + "'}},'body':{'text':'?'},'action':{'buttons':[{'type':'reply','reply':{'id':'y',"
                        + "'title':'Y'}}]}}}"), "message.interactive.header.type", "(lower case)"),
                new Breaker("template component type in capitals", upperComponent,
                        "message.template.components[0].type", "component types are lower case"));
    }

    /** A marketing template: body, then a carousel of {@code n} cards with a header of {@code type}. */
    static Body templateCarousel(String name, String type, String key, int n, String prefix,
                                 Function<String, String> link) {
        String extension = key.equals("video") ? ".mp4" : ".jpg";
        StringBuilder cards = new StringBuilder();
        List<String> pointers = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            cards.append(k == 0 ? "" : ",").append("{'card_index':").append(k).append(",'components':[")
                    .append("{'type':'header','parameters':[{'type':'").append(type).append("','").append(key)
                    .append("':{'link':'").append(link.apply(prefix + "card-" + k + extension)).append("'}}]},")
                    .append("{'type':'body','parameters':[{'type':'text','text':'Card ").append(k).append("'}]},")
                    .append("{'type':'button','sub_type':'quick_reply','index':'0','parameters':[{'type':'payload',")
                    .append("'payload':'more-").append(k).append("'}]}]}");
            pointers.add("/template/components/1/cards/" + k + "/components/0/parameters/0/" + key);
        }
        return new Body(name, node("{'type':'template','template':{'name':'summer_carousel','language':"
                + "{'code':'en_US'},'components':[{'type':'body','parameters':[{'type':'text','text':'15OFF'}]},"
                + "{'type':'carousel','cards':[" + cards + "]}]}}"), pointers);
    }

    static Body interactiveCarousel(String name, String type, int n, boolean urlButtons,
                                    Function<String, String> link) {
        String extension = type.equals("video") ? ".mp4" : ".jpg";
        StringBuilder cards = new StringBuilder();
        List<String> pointers = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            String action = urlButtons
                    ? "{'name':'cta_url','parameters':{'display_text':'Buy','url':'https://shop.example/p/" + k + "'}}"
                    : "{'buttons':[{'type':'quick_reply','quick_reply':{'id':'learn-" + k + "','title':'Learn more'}},"
                    + "{'type':'quick_reply','quick_reply':{'id':'fav-" + k + "','title':'Add to favorites'}}]}";
            cards.append(k == 0 ? "" : ",").append("{'card_index':").append(k).append(",'type':'cta_url',")
                    .append("'header':{'type':'").append(type).append("','").append(type).append("':{'link':'")
                    .append(link.apply("ic-" + (urlButtons ? "url-" : "qr-") + k + extension)).append("'}},")
                    .append("'body':{'text':'Plant ").append(k).append("'},'action':").append(action).append('}');
            pointers.add("/interactive/action/cards/" + k + "/header/" + type);
        }
        return new Body(name, node("{'type':'interactive','interactive':{'type':'carousel','body':{'text':"
                + "'Three of our latest arrivals'},'action':{'cards':[" + cards + "]}}}"), pointers);
    }

    static Body limitedTimeOffer(String name, String type, String link) {
        return body(name, "{'type':'template','template':{'name':'limited_offer','language':{'code':'en_US'},"
                + "'components':[{'type':'header','parameters':[{'type':'" + type + "','image':{'link':'" + link
                + "'}}]},{'type':'limited_time_offer','parameters':[{'type':'limited_time_offer',"
                + "'limited_time_offer':{'expiration_time_ms':1767225600000}}]},{'type':'body','parameters':"
                + "[{'type':'text','text':'Pablo'}]},{'type':'button','sub_type':'copy_code','index':0,"
                + "'parameters':[{'type':'coupon_code','coupon_code':'CARIBE25'}]}]}}",
                "/template/components/0/parameters/0/image");
    }

    private static Body body(String name, String singleQuoted, String... pointers) {
        return new Body(name, node(singleQuoted), List.of(pointers));
    }

    /** JSON written with ' for " (no body needs a literal '). */
    static ObjectNode node(String singleQuoted) {
        try {
            return (ObjectNode) Json.mapper().readTree(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
