package io.wabatch.ops;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An external program a test needs (kcat, Prometheus). Absent on a developer's machine, the test
 * is skipped with a message saying how to install it; with {@code WABATCH_REQUIRE_TOOLS=1} (set
 * by {@code .ci/run} after installing the tools) it fails instead, so CI never skips silently.
 */
final class ExternalTool {

    static final String REQUIRE = "WABATCH_REQUIRE_TOOLS";

    private ExternalTool() {
    }

    /**
     * The program's path on {@code PATH}.
     *
     * @param name    the command, e.g. {@code kcat}
     * @param install how to get it, e.g. {@code apt-get install kcat}
     */
    static Path require(String name, String install) {
        Optional<Path> found = find(name);
        String missing = name + " is not installed (" + install + "); the test needs it";
        if (found.isEmpty() && "1".equals(System.getenv(REQUIRE))) {
            fail(missing + " and " + REQUIRE + "=1 forbids skipping");
        }
        assumeTrue(found.isPresent(), missing + ": skipped");
        return found.orElseThrow();
    }

    private static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }
}
