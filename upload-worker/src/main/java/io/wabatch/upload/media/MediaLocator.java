package io.wabatch.upload.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds every link media of a validated message: the media object of a media message, and the
 * image, video and document parameters of template components (a marketing template's header).
 * Media given by {@code id} are already uploaded and are left alone.
 */
public final class MediaLocator {

    private MediaLocator() {
    }

    /** The link media in {@code message}, in document order. */
    public static List<LinkMedia> find(JsonNode message) {
        List<LinkMedia> found = new ArrayList<>();
        String type = message.path("type").asText();
        Optional<MediaType> media = MediaType.of(type);
        if (media.isPresent()) {
            add(found, "/" + type, media.get(), message.get(type));
        } else if (type.equals("template")) {
            JsonNode components = message.path("template").path("components");
            for (int c = 0; c < components.size(); c++) {
                JsonNode parameters = components.get(c).path("parameters");
                for (int p = 0; p < parameters.size(); p++) {
                    JsonNode parameter = parameters.get(p);
                    String paramType = parameter.path("type").asText();
                    String pointer = "/template/components/" + c + "/parameters/" + p + "/" + paramType;
                    MediaType.of(paramType).ifPresent(m -> add(found, pointer, m, parameter.get(paramType)));
                }
            }
        }
        return found;
    }

    private static void add(List<LinkMedia> found, String pointer, MediaType type, JsonNode object) {
        if (object != null && object.hasNonNull("link")) {
            found.add(new LinkMedia(pointer, type, object.get("link").asText()));
        }
    }
}
