package io.wabatch.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The published JSON Schema and the validator agree on every structural case of the table. */
class JobSchemaTest {

    private static JsonSchema schema;
    private final JobValidator validator = new JobValidator(Set.of("acme-de"));

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = JobSchemaTest.class.getResourceAsStream("/schema/campaign-job.v1.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(Json.mapper().readTree(in),
                            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        }
    }

    static java.util.List<JobCases.Case> cases() {
        return JobCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void schemaAgreesWithValidator(JobCases.Case c) {
        Set<ValidationMessage> messages = schema.validate(c.job());
        boolean validatorSaysValid = validator.validate(c.job()) instanceof JobValidation.Valid;
        assertThat(validatorSaysValid).isEqualTo(c.valid());
        assertThat(messages.isEmpty()).as("schema messages %s", messages).isEqualTo(c.valid());
    }
}
