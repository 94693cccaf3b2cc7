package io.wabatch.ops.cli;

import io.wabatch.sender.SenderWorkerMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wabatch sender-worker}: the sender worker process (configured by WABATCH_* variables). */
@Command(name = "sender-worker", mixinStandardHelpOptions = true,
        description = "Run a sender worker; configuration from WABATCH_* environment variables or a properties file.")
final class SenderWorkerCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", description = "Optional properties file.")
    String configFile;

    @Override
    public Integer call() throws Exception {
        SenderWorkerMain.main(configFile == null ? new String[0] : new String[] {configFile});
        return 0;
    }
}
