package io.wabatch.common.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class WorkerProcessTest {

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define("send.max.attempts", ConfigDef.Type.INT, 5, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW, "")
            .define("log.format", ConfigDef.Type.STRING, "text", ConfigDef.ValidString.in("text", "json"),
                    ConfigDef.Importance.LOW, "");

    @Test
    void aRejectedValueIsNotRepeatedSinceItMayBeAMisplacedSecret() {
        String canary = "canary-secret-4f1d";
        String wrongType = reason(Map.of("send.max.attempts", canary));
        String outOfRange = reason(Map.of("send.max.attempts", "0"));
        String notListed = reason(Map.of("log.format", canary));

        assertThat(wrongType).isEqualTo("invalid value for send.max.attempts: Not a number of type INT "
                + "(the value is not shown: it may be a secret)");
        assertThat(outOfRange).startsWith("invalid value for send.max.attempts: Value must be at least 1");
        assertThat(notListed).startsWith("invalid value for log.format: String must be one of: text, json");
        assertThat(wrongType + outOfRange + notListed).doesNotContain(canary);
    }

    @Test
    void otherProblemsKeepTheirMessage() {
        assertThat(WorkerProcess.reason(new IllegalStateException("topic wa.jobs does not exist")))
                .isEqualTo("topic wa.jobs does not exist");
    }

    private static String reason(Map<String, String> values) {
        try {
            DEFINITION.parse(values);
        } catch (ConfigException e) {
            return WorkerProcess.reason(e);
        }
        throw new AssertionError("the values were accepted: " + values);
    }
}
