package io.wabatch.common.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Builds campaign jobs for tests from a valid base, edited by JSON snippets. */
final class JobFixtures {

    static final String BASE = """
            {"v":1,"job_id":"spring-sale-000042","campaign_id":"spring-sale","channel":"acme-de",
             "to":"+49 151 2345 6789",
             "message":{"type":"image","image":{"link":"https://cdn.example.com/sale.jpg","caption":"-20%"}},
             "not_after":"2026-12-01T18:00:00Z","callback_data":"crm-7781"}
            """;

    private JobFixtures() {
    }

    static ObjectNode base() {
        return parse(BASE);
    }

    static ObjectNode parse(String json) {
        return (ObjectNode) node(json);
    }

    static com.fasterxml.jackson.databind.JsonNode node(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base job with {@code message} replaced. */
    static ObjectNode withMessage(String message) {
        ObjectNode job = base();
        job.set("message", parse(message));
        return job;
    }
}
