package io.wabatch.common.template;

import java.time.Instant;
import java.util.Optional;
import java.util.SortedSet;

/** One business account's templates, as a {@link TemplateChecker} reads them. */
public interface TemplateLookup {

    /** The WhatsApp Business Account id. */
    String accountId();

    /** When the catalogue was last listed completely from the API; null when not known. */
    Instant syncedAt();

    /** Templates (name and language pairs) known. */
    int size();

    /** The template {@code name} in {@code language} ({@code en_US}), matched exactly. */
    Optional<TemplateDefinition> find(String name, String language);

    /** The languages {@code name} exists in; empty when the name is unknown. */
    SortedSet<String> languages(String name);
}
