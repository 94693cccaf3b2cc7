package io.wabatch.common.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every position a WhatsApp message can carry a media object in (whatsapp-api-facts §9), in one
 * place: the validator checks each object found here and the upload worker uploads each one that
 * has a {@code link}. A new position is added here and nowhere else.
 *
 * <table>
 *   <caption>Positions</caption>
 *   <tr><th>message</th><th>JSON pointer of the media object</th></tr>
 *   <tr><td>media message</td><td>{@code /image} (any of the five types)</td></tr>
 *   <tr><td>template parameter (header, limited-time offer)</td>
 *       <td>{@code /template/components/c/parameters/p/image}</td></tr>
 *   <tr><td>template carousel card header</td>
 *       <td>{@code /template/components/c/cards/k/components/j/parameters/p/video}</td></tr>
 *   <tr><td>interactive header</td><td>{@code /interactive/header/document}</td></tr>
 *   <tr><td>interactive media carousel card</td><td>{@code /interactive/action/cards/k/header/image}</td></tr>
 * </table>
 *
 * <p>Type names are matched as the API matches them: a template parameter's {@code type} in any
 * letter case (a request recorded against Graph shows {@code "TEXT"} accepted), every other type
 * name in the documented lower case. The object itself is always read under the lower-case name.
 */
public final class MediaObjects {

    /**
     * A media object's position.
     *
     * @param pointer JSON pointer of the object within the message, e.g. {@code /interactive/header/image}
     * @param path    the same as the validator names it, e.g. {@code message.interactive.header.image}
     * @param type    the media type the position declares
     * @param object  the object, or a missing node when the type is declared but the object is absent
     */
    public record Found(String pointer, String path, MediaType type, JsonNode object) {

        /** True when the object points at a link to upload (an {@code id} is already uploaded). */
        public boolean byLink() {
            return object.isObject() && object.hasNonNull("link");
        }
    }

    private MediaObjects() {
    }

    /** The media objects of {@code message}, in document order. */
    public static List<Found> find(JsonNode message) {
        List<Found> found = new ArrayList<>();
        String type = message.path("type").asText("");
        exact(type).ifPresent(media -> found.add(found("", "message", media, message)));
        switch (type) {
            case "template" -> template(message.path("template"), "/template", "message.template", found);
            case "interactive" -> interactive(message.path("interactive"), found);
            default -> { }
        }
        return found;
    }

    /** The media type a template parameter's {@code type} names, in any letter case. */
    public static Optional<MediaType> parameterType(JsonNode parameter) {
        JsonNode type = parameter.path("type");
        return type.isTextual() ? MediaType.of(type.asText().toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** The media type a message or interactive header {@code type} names, in the documented lower case only. */
    public static Optional<MediaType> exact(String type) {
        return MediaType.of(type);
    }

    /** Components and, for a carousel component, its cards' components: every parameter of every one. */
    private static void template(JsonNode template, String pointer, String path, List<Found> found) {
        JsonNode components = template.path("components");
        for (int c = 0; c < components.size(); c++) {
            JsonNode component = components.get(c);
            String componentPointer = pointer + "/components/" + c;
            String componentPath = path + ".components[" + c + "]";
            parameters(component, componentPointer, componentPath, found);
            if ("carousel".equals(component.path("type").asText())) {
                JsonNode cards = component.path("cards");
                for (int k = 0; k < cards.size(); k++) {
                    template(cards.get(k), componentPointer + "/cards/" + k, componentPath + ".cards[" + k + "]", found);
                }
            }
        }
    }

    private static void parameters(JsonNode component, String pointer, String path, List<Found> found) {
        JsonNode parameters = component.path("parameters");
        for (int p = 0; p < parameters.size(); p++) {
            JsonNode parameter = parameters.get(p);
            String at = pointer + "/parameters/" + p;
            String atPath = path + ".parameters[" + p + "]";
            parameterType(parameter).ifPresent(media -> found.add(found(at, atPath, media, parameter)));
        }
    }

    /** The message's header, and each card's header when the message is a media carousel. */
    private static void interactive(JsonNode interactive, List<Found> found) {
        header(interactive.path("header"), "/interactive/header", "message.interactive.header", found);
        if ("carousel".equals(interactive.path("type").asText())) {
            JsonNode cards = interactive.path("action").path("cards");
            for (int k = 0; k < cards.size(); k++) {
                header(cards.get(k).path("header"), "/interactive/action/cards/" + k + "/header",
                        "message.interactive.action.cards[" + k + "].header", found);
            }
        }
    }

    private static void header(JsonNode header, String pointer, String path, List<Found> found) {
        exact(header.path("type").asText("")).ifPresent(media -> found.add(found(pointer, path, media, header)));
    }

    private static Found found(String pointer, String path, MediaType media, JsonNode holder) {
        String name = media.jsonName();
        return new Found(pointer + "/" + name, path + "." + name, media, holder.path(name));
    }
}
