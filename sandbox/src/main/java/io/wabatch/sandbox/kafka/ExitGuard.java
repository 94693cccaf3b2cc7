package io.wabatch.sandbox.kafka;

import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a fatal fault of the embedded broker from ending the host JVM. Kafka's server code calls
 * {@link Exit#halt} or {@link Exit#exit} on fatal faults, which would kill a test run or the demo
 * (together with everything else in it) without a word; instead the call is logged at ERROR and
 * fails the Kafka thread that made it. The procedures are JVM-wide and installed once.
 */
final class ExitGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ExitGuard.class);
    private static boolean installed;

    private ExitGuard() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
        Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
        installed = true;
    }

    private static void refuse(String kind, int status, String message) {
        LOG.error("Embedded Kafka asked the JVM to {}({}): {}; the JVM keeps running, the broker may be unusable",
                kind, status, message);
        throw new IllegalStateException("Embedded Kafka requested " + kind + "(" + status + "): " + message);
    }
}
