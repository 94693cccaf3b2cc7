package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** The built CLI jar ({@code ops/target/wabatch.jar}) and the JVM to run it with, for tests that start it. */
public final class WabatchJar {

    private WabatchJar() {
    }

    /** The shaded jar; fails the test when it was not built. */
    public static Path path() {
        Path jar = Path.of("target", "wabatch.jar").toAbsolutePath();
        assertThat(jar).as("run 'mvn package' first: integration tests use the built jar").exists();
        return jar;
    }

    /** The {@code java} of the JVM running the tests. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
