package io.wabatch.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

    @Test
    void committedReferenceEqualsTheOneGeneratedFromCode() throws Exception {
        Path doc = Path.of("..", "docs", "configuration.md");
        assertThat(Files.readString(doc))
                .as("docs/configuration.md is stale: regenerate it with 'java -jar ops/target/wabatch.jar config-docs'")
                .isEqualTo(ConfigDocsCommand.render());
    }

    @Test
    void everyKeyHasADescriptionAndEnvironmentVariable() {
        String docs = ConfigDocsCommand.render();
        assertThat(docs).contains("`bootstrap.servers` | `WABATCH_BOOTSTRAP_SERVERS`")
                .contains("`media.allow` | `WABATCH_MEDIA_ALLOW`")
                .contains("`send.max.attempts` | `WABATCH_SEND_MAX_ATTEMPTS`")
                .doesNotContain("|  |\n");
    }
}
