package io.wabatch.ops;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files kept under {@code ops/} (dashboards, Prometheus configuration), found from {@code ops/},
 * Maven's working directory for this module's tests, or from the repository root.
 */
public final class OpsFiles {

    private OpsFiles() {
    }

    /** The file at {@code relative} to {@code ops/}, e.g. {@code prometheus/alerts.yml}. */
    public static Path resolve(String relative) {
        Path fromOps = Path.of(relative);
        if (Files.exists(fromOps)) {
            return fromOps;
        }
        Path fromRoot = Path.of("ops").resolve(relative);
        if (Files.exists(fromRoot)) {
            return fromRoot;
        }
        throw new IllegalStateException(relative + " is neither under " + Path.of("").toAbsolutePath()
                + " nor under its ops/ folder");
    }
}
