package io.wabatch.common.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wabatch.sandbox.api.SpecExamples;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Meta's own template examples from the OpenAPI spec (the sandbox's test resource): the listing of
 * {@code GET /{WABA-ID}/message_templates} and the bodies of {@code POST /{WABA-ID}/message_templates}
 * (templates as created; listed, they carry a status and an id too).
 */
final class MetaTemplateExamples {

    static final String PATH = "/{Version}/{WABA-ID}/message_templates";
    private static JsonNode spec;

    private MetaTemplateExamples() {
    }

    /** The example answer of the list call: {@code {"data":[...],"paging":{...}}}. */
    static JsonNode listing() {
        return path().path("get").path("responses").path("200").path("content").path("application/json")
                .path("examples").path("Example response").path("value");
    }

    /** The creation examples by name, each as a listing would show it: with {@code status} APPROVED. */
    static Map<String, ObjectNode> created() {
        Map<String, ObjectNode> created = new LinkedHashMap<>();
        path().path("post").path("requestBody").path("content").path("application/json").path("examples")
                .fields().forEachRemaining(e -> {
                    ObjectNode template = ((ObjectNode) e.getValue().path("value")).deepCopy();
                    template.put("status", "APPROVED");
                    created.put(e.getKey(), template);
                });
        return created;
    }

    /** One creation example, approved. */
    static ObjectNode created(String name) {
        ObjectNode template = created().get(name);
        if (template == null) {
            throw new IllegalArgumentException("no creation example '" + name + "' in " + created().keySet());
        }
        return template;
    }

    private static synchronized JsonNode path() {
        if (spec == null) {
            try (InputStream in = MetaTemplateExamples.class.getClassLoader().getResourceAsStream(SpecExamples.SPEC)) {
                if (in == null) {
                    throw new IllegalStateException(SpecExamples.SPEC + " is not on the class path");
                }
                spec = new ObjectMapper(new YAMLFactory()).readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return spec.path("paths").path(PATH);
    }
}
