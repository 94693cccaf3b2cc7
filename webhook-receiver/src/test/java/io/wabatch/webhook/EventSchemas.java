package io.wabatch.webhook;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.wabatch.common.contract.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/** The published JSON Schemas of the receiver's three topics (common's /schema), with format assertions. */
final class EventSchemas {

    static final JsonSchema STATUS = load("status-event.v1.json");
    static final JsonSchema INBOUND = load("inbound-message.v1.json");
    static final JsonSchema PLATFORM = load("platform-event.v1.json");

    private EventSchemas() {
    }

    /** What {@code schema} finds wrong with {@code record} (a record's value as written to Kafka). */
    static Set<ValidationMessage> problems(JsonSchema schema, byte[] record) {
        try {
            return schema.validate(Json.mapper().readTree(record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema load(String name) {
        try (InputStream in = EventSchemas.class.getResourceAsStream("/schema/" + name)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(
                    Json.mapper().readTree(in), SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
