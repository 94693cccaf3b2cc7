package io.wabatch.ops.cli;

import io.wabatch.funnel.FunnelMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wabatch funnel}: the funnel aggregator process (configured by WABATCH_* variables). */
@Command(name = "funnel", mixinStandardHelpOptions = true,
        description = "Run the funnel aggregator (Kafka Streams: per-campaign funnel in wa.funnel, auto-pause); configuration from WABATCH_* environment variables or a properties file.")
final class FunnelCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", description = "Optional properties file.")
    String configFile;

    @Override
    public Integer call() throws Exception {
        FunnelMain.main(configFile == null ? new String[0] : new String[] {configFile});
        return 0;
    }
}
