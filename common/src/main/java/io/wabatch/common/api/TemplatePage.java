package io.wabatch.common.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One page of an account's message templates as the API lists them (Meta's
 * {@code GET /{waba-id}/message_templates}, 360dialog's {@code GET /v1/configs/templates}).
 *
 * @param templates the template objects, unparsed, in the API's order
 * @param next      the cursor of the next page (Meta's {@code after} cursor, 360dialog's offset), or null on the last page
 */
public record TemplatePage(List<JsonNode> templates, String next) {

    public TemplatePage {
        templates = List.copyOf(templates);
    }
}
