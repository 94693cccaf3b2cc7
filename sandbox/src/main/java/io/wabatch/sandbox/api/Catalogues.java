package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.sandbox.api.rules.ValidatedMessage;
import io.wabatch.sandbox.api.templates.CatalogueRules;
import io.wabatch.sandbox.api.templates.Template;
import io.wabatch.sandbox.api.templates.TemplateCatalogue;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The template catalogue of each WhatsApp Business Account that has one. An account without a catalogue sends
 * any template unchecked, as before catalogues existed (the workers' tests rely on it). Survives resets, like the
 * other runtime settings. Thread-safe.
 */
final class Catalogues {

    private final Map<String, TemplateCatalogue> byWaba = new ConcurrentHashMap<>();

    Catalogues(Map<String, TemplateCatalogue> configured) {
        byWaba.putAll(configured);
    }

    Optional<TemplateCatalogue> of(String wabaId) {
        return Optional.ofNullable(byWaba.get(wabaId));
    }

    /** Sets the account's catalogue; {@code null} removes it (templates pass unchecked again). */
    void set(String wabaId, TemplateCatalogue catalogue) {
        if (catalogue == null) {
            byWaba.remove(wabaId);
        } else {
            byWaba.put(wabaId, catalogue);
        }
    }

    /** Changes one template's status in the account's catalogue, atomically. */
    void status(String wabaId, String name, String language, String status) {
        byWaba.compute(wabaId, (id, catalogue) -> {
            if (catalogue == null) {
                throw new IllegalArgumentException("WhatsApp Business Account " + wabaId
                        + " has no template catalogue");
            }
            return catalogue.withStatus(name, language, status);
        });
    }

    /**
     * Checks a template send of a number of {@code wabaId} against its catalogue, if it has one.
     *
     * @return the template sent, or null when the message is no template or the account has no catalogue
     */
    Template check(String wabaId, JsonNode body, ValidatedMessage message, boolean marketing) {
        TemplateCatalogue catalogue = byWaba.get(wabaId);
        if (catalogue != null && message.type().equals("template")) {
            return CatalogueRules.check(catalogue, body.get("template"), message.recipient() != null, marketing);
        }
        return null;
    }

    /**
     * Changes one template's category in the account's catalogue, atomically (a completed category update); false
     * when the account has no catalogue or the catalogue no such template.
     */
    boolean category(String wabaId, String name, String language, String category) {
        boolean[] changed = new boolean[1];
        byWaba.computeIfPresent(wabaId, (id, catalogue) -> {
            if (catalogue.find(name, language).isEmpty()) {
                return catalogue;
            }
            changed[0] = true;
            return catalogue.withCategory(name, language, category);
        });
        return changed[0];
    }
}
