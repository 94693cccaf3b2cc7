package io.wabatch.ops.cli;

import io.wabatch.webhook.WebhookReceiverMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wabatch webhook-receiver}: the webhook receiver process (configured by WABATCH_* variables). */
@Command(name = "webhook-receiver", mixinStandardHelpOptions = true,
        description = "Run the webhook receiver (status and inbound webhooks to Kafka); configuration from WABATCH_* environment variables or a properties file.")
final class WebhookReceiverCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", description = "Optional properties file.")
    String configFile;

    @Override
    public Integer call() throws Exception {
        WebhookReceiverMain.main(configFile == null ? new String[0] : new String[] {configFile});
        return 0;
    }
}
