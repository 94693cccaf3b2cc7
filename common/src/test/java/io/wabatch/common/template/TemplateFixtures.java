package io.wabatch.common.template;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;

/**
 * Template definitions as the API lists them (Meta's documented shapes) and the matching {@code template}
 * objects of a send, for the catalogue's tests here and in the workers' modules.
 */
public final class TemplateFixtures {

    private TemplateFixtures() {
    }

    /**
     * A marketing template with an image header, a body of {@code bodyParameters} positional placeholders, a
     * footer and a quick-reply and a URL button with a variable suffix.
     */
    public static ObjectNode imageOffer(String name, String language, String status, int bodyParameters) {
        ObjectNode template = listed(name, language, status, "MARKETING");
        ArrayNode components = template.putArray("components");
        components.addObject().put("type", "HEADER").put("format", "IMAGE").putObject("example")
                .putArray("header_handle").add("4::aW1hZ2UvanBn:ARYy");
        components.addObject().put("type", "BODY").put("text", body(bodyParameters));
        components.addObject().put("type", "FOOTER").put("text", "Reply STOP to unsubscribe");
        ArrayNode buttons = components.addObject().put("type", "BUTTONS").putArray("buttons");
        buttons.addObject().put("type", "QUICK_REPLY").put("text", "Stop promotions");
        buttons.addObject().put("type", "URL").put("text", "Shop now").put("url", "https://shop.example.com/s?p={{1}}")
                .putArray("example").add("https://shop.example.com/s?p=spring");
        return template;
    }

    /**
     * A media card carousel as Meta documents it ("summer_carousel_promo_2023"): a body with 2 placeholders,
     * then {@code cards} cards, each with an image header, a body with 2 placeholders, a quick-reply button and
     * a URL button with a variable suffix.
     */
    public static ObjectNode carousel(String name, String status, int cards) {
        ObjectNode template = listed(name, "en_US", status, "MARKETING");
        ArrayNode components = template.putArray("components");
        components.addObject().put("type", "BODY").put("text", "Summer is here, and we have the freshest produce "
                + "around! Use code {{1}} to get {{2}} off your next order.");
        ArrayNode cardArray = components.addObject().put("type", "CAROUSEL").putArray("cards");
        for (int k = 0; k < cards; k++) {
            ArrayNode card = cardArray.addObject().putArray("components");
            card.addObject().put("type", "HEADER").put("format", "IMAGE").putObject("example")
                    .putArray("header_handle").add("4::an...");
            card.addObject().put("type", "BODY").put("text", "Rare lemons for unique cocktails. Use code {{1}} to get "
                    + "{{2}} off all produce.");
            ArrayNode buttons = card.addObject().put("type", "BUTTONS").putArray("buttons");
            buttons.addObject().put("type", "QUICK_REPLY").put("text", "Send me more like this!");
            buttons.addObject().put("type", "URL").put("text", "Buy now")
                    .put("url", "https://www.luckyshrub.com/shop?promo={{1}}");
        }
        return template;
    }

    /** A utility template with named parameters, as Meta documents them ({@code parameter_format: NAMED}). */
    public static ObjectNode named(String name) {
        ObjectNode template = listed(name, "en_US", "APPROVED", "UTILITY").put("parameter_format", "NAMED");
        ObjectNode body = template.putArray("components").addObject().put("type", "BODY")
                .put("text", "Thank you for your order, {{first_name}}! Your order number is {{order_number}}.");
        ArrayNode examples = body.putObject("example").putArray("body_text_named_params");
        examples.addObject().put("param_name", "first_name").put("example", "Pablo");
        examples.addObject().put("param_name", "order_number").put("example", "860198-230332");
        return template;
    }

    /** The send's {@code template} object for {@link #imageOffer}: an image header and {@code bodyParameters}. */
    public static ObjectNode imageOfferJob(String name, String language, String imageLink, int bodyParameters) {
        ObjectNode template = job(name, language);
        ArrayNode components = template.putArray("components");
        components.addObject().put("type", "header").putArray("parameters").addObject().put("type", "image")
                .putObject("image").put("link", imageLink);
        body(components, bodyParameters);
        ObjectNode button = components.addObject().put("type", "button").put("sub_type", "url").put("index", "1");
        button.putArray("parameters").addObject().put("type", "text").put("text", "spring");
        return template;
    }

    /** The send's {@code template} object for {@link #carousel}, with {@code cards} image cards. */
    public static ObjectNode carouselJob(String name, int cards, String imageLink) {
        ObjectNode template = job(name, "en_US");
        ArrayNode components = template.putArray("components");
        body(components, 2);
        ArrayNode cardArray = components.addObject().put("type", "carousel").putArray("cards");
        for (int k = 0; k < cards; k++) {
            ObjectNode card = cardArray.addObject().put("card_index", k);
            ArrayNode parts = card.putArray("components");
            parts.addObject().put("type", "header").putArray("parameters").addObject().put("type", "image")
                    .putObject("image").put("link", imageLink + (imageLink.contains("?") ? "&" : "?") + "card=" + k);
            body(parts, 2);
            parts.addObject().put("type", "button").put("sub_type", "quick_reply").put("index", "0")
                    .putArray("parameters").addObject().put("type", "payload").put("payload", "more-" + k);
            parts.addObject().put("type", "button").put("sub_type", "url").put("index", "1")
                    .putArray("parameters").addObject().put("type", "text").put("text", "card" + k);
        }
        return template;
    }

    /** A send's {@code template} object with only a name and a language. */
    public static ObjectNode job(String name, String language) {
        ObjectNode template = Json.mapper().createObjectNode().put("name", name);
        template.putObject("language").put("code", language);
        return template;
    }

    /** A {@code template} message around a send's template object. */
    public static ObjectNode message(ObjectNode template) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        message.set("template", template);
        return message;
    }

    /** Adds a body component with {@code n} text parameters. */
    public static void body(ArrayNode components, int n) {
        ArrayNode parameters = components.addObject().put("type", "body").putArray("parameters");
        for (int i = 1; i <= n; i++) {
            parameters.addObject().put("type", "text").put("text", "value " + i);
        }
    }

    private static ObjectNode listed(String name, String language, String status, String category) {
        return Json.mapper().createObjectNode().put("name", name).put("language", language).put("status", status)
                .put("category", category).put("id", String.valueOf(Math.abs((long) name.hashCode()) + 1_000_000L));
    }

    private static String body(int parameters) {
        StringBuilder text = new StringBuilder("Hi");
        for (int i = 1; i <= parameters; i++) {
            text.append(i == 1 ? " " : ", ").append("{{").append(i).append("}}");
        }
        return text.append('!').toString();
    }
}
