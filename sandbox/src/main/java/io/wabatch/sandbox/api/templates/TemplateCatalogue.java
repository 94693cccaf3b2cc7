package io.wabatch.sandbox.api.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The message templates of one WhatsApp Business Account: what {@code GET /{waba-id}/message_templates} lists and
 * what the sandbox checks template sends against (SANDBOX.md, Template catalogue). Immutable; a (name, language)
 * pair appears once, an id once.
 */
public final class TemplateCatalogue {

    /** The bundled sample catalogue, resource of this package. */
    public static final String SAMPLE_RESOURCE = "sample-catalogue.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Template> byKey;

    private TemplateCatalogue(List<Template> templates) {
        Map<String, Template> map = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (Template template : templates) {
            if (map.putIfAbsent(key(template.name(), template.language()), template) != null) {
                throw new IllegalArgumentException("template " + template.name() + " in language "
                        + template.language() + " appears twice");
            }
            if (!ids.add(template.id())) {
                throw new IllegalArgumentException("template id " + template.id() + " appears twice");
            }
        }
        byKey = map;
    }

    /** A catalogue of {@code templates}, in this order. */
    public static TemplateCatalogue of(List<Template> templates) {
        return new TemplateCatalogue(List.copyOf(templates));
    }

    /**
     * A catalogue from a JSON array of templates in Meta's shape (also accepted: Meta's listing, an object whose
     * {@code data} is that array).
     *
     * @throws IllegalArgumentException naming the entry and field that is wrong
     */
    public static TemplateCatalogue fromJson(JsonNode node) {
        JsonNode array = node != null && node.isObject() && node.has("data") ? node.get("data") : node;
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("a template catalogue is a JSON array of templates, got " + node);
        }
        List<Template> templates = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            templates.add(Template.fromJson(array.get(i), "templates[" + i + "]"));
        }
        return new TemplateCatalogue(templates);
    }

    /** As {@link #fromJson(JsonNode)}, from JSON text. */
    public static TemplateCatalogue fromJson(String json) {
        try {
            return fromJson(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("a template catalogue must be JSON: " + e.getMessage(), e);
        }
    }

    /** As {@link #fromJson(JsonNode)}, from a file. */
    public static TemplateCatalogue fromFile(Path file) {
        try {
            return fromJson(MAPPER.readTree(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the template catalogue " + file, e);
        }
    }

    /**
     * The bundled sample (SANDBOX.md lists it): hello_world, a media sale in two languages, a named-parameter
     * utility template, a document, a video, a carousel, authentication templates with copy-code and one-tap
     * buttons, and templates PAUSED, DISABLED and PENDING.
     */
    public static TemplateCatalogue sample() {
        try (InputStream in = TemplateCatalogue.class.getResourceAsStream(SAMPLE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the sample catalogue " + SAMPLE_RESOURCE + " is missing");
            }
            return fromJson(MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample catalogue", e);
        }
    }

    /** The templates, in catalogue order. */
    public List<Template> templates() {
        return List.copyOf(byKey.values());
    }

    /** The template of this name and language code, if any. */
    public Optional<Template> find(String name, String language) {
        return Optional.ofNullable(byKey.get(key(name, language)));
    }

    /** Whether a template of this name exists in any language. */
    public boolean hasName(String name) {
        return byKey.values().stream().anyMatch(t -> t.name().equals(name));
    }

    /**
     * This catalogue with one template's status changed (as when Meta pauses or disables it).
     *
     * @throws IllegalArgumentException when there is no such template or the status is not one Meta reports
     */
    public TemplateCatalogue withStatus(String name, String language, String status) {
        Template template = find(name, language).orElseThrow(() -> new IllegalArgumentException("no template "
                + name + " in language " + language));
        List<Template> templates = new ArrayList<>(byKey.values());
        templates.set(templates.indexOf(template), template.withStatus(status));
        return new TemplateCatalogue(templates);
    }

    /**
     * This catalogue with one template's category changed (a completed {@code template_category_update}).
     *
     * @throws IllegalArgumentException when there is no such template or the category is not MARKETING, UTILITY or
     *                                  AUTHENTICATION
     */
    public TemplateCatalogue withCategory(String name, String language, String category) {
        Template template = find(name, language).orElseThrow(() -> new IllegalArgumentException("no template "
                + name + " in language " + language));
        List<Template> templates = new ArrayList<>(byKey.values());
        templates.set(templates.indexOf(template), template.withCategory(category));
        return new TemplateCatalogue(templates);
    }

    /** The templates as a JSON array in Meta's shape. */
    public ArrayNode toJson() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        byKey.values().forEach(t -> array.add(t.toJson()));
        return array;
    }

    private static String key(String name, String language) {
        return name + '\u0000' + language;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TemplateCatalogue c && c.byKey.equals(byKey);
    }

    @Override
    public int hashCode() {
        return byKey.hashCode();
    }

    @Override
    public String toString() {
        return "TemplateCatalogue" + byKey.values();
    }
}
