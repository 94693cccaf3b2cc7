package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.sandbox.api.rules.ValidatedMessage;
import io.wabatch.sandbox.api.templates.CatalogueRules;
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

    /** Checks a template send of a number of {@code wabaId} against its catalogue, if it has one. */
    void check(String wabaId, JsonNode body, ValidatedMessage message, boolean marketing) {
        TemplateCatalogue catalogue = byWaba.get(wabaId);
        if (catalogue != null && message.type().equals("template")) {
            CatalogueRules.check(catalogue, body.get("template"), message.recipient() != null, marketing);
        }
    }
}
