package io.wabatch.ops.cli;

import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.SandboxServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wabatch sandbox}: the local WhatsApp API alone. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Run the sandbox WhatsApp API (360dialog and Meta paths) until Ctrl-C.")
final class SandboxCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on (0 = any free port).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind.")
    String host;

    @Option(names = "--ops-port", defaultValue = "9403",
            description = "Port of /metrics, /health/live and /health/ready (0 = any free port, -1 = none).")
    int opsPort;

    @Option(names = "--config", description = "JSON file with numbers and settings (see sandbox/SANDBOX.md).")
    Path config;

    @Option(names = "--webhook-url", description = "Post status webhooks for accepted messages to this URL (the "
            + "webhook receiver's), signed with the secret in the environment variable SANDBOX_WEBHOOK_SECRET; "
            + "PUT /_sandbox/webhooks changes them at runtime.")
    String webhookUrl;

    @Override
    public Integer call() throws Exception {
        SandboxConfig base = config == null ? SandboxConfig.defaults() : SandboxConfig.fromJson(config);
        try (SandboxServer sandbox = SandboxServer.start(base.toBuilder().port(port).host(host)
                .opsPort(opsPort < 0 ? null : opsPort).build())) {
            System.out.println("sandbox listening: 360dialog base URL " + sandbox.baseUrl() + ", Meta base URL "
                    + sandbox.metaBaseUrl());
            // credentials are never printed, not even the sandbox's: its output may go to a log store
            sandbox.config().numbers().forEach(n -> System.out.println("  number " + n.id() + " (" + n.displayPhone()
                    + ") " + n.mps() + " mps, " + (n.apiKey() != null ? "D360-API-KEY" : "Bearer token")
                    + " from the sandbox configuration"));
            System.out.println("stats: " + sandbox.baseUrl() + "/_sandbox/stats");
            if (webhookUrl != null) {
                String secret = System.getenv("SANDBOX_WEBHOOK_SECRET");
                com.fasterxml.jackson.databind.node.ObjectNode settings = io.wabatch.common.contract.Json.mapper()
                        .createObjectNode().put("url", webhookUrl).put("step", 500).put("read_share", 0.7)
                        .put("failed_share", 0.02);
                if (secret != null && !secret.isBlank()) {
                    settings.put("app_secret", secret);
                }
                sandbox.setWebhooks(settings.toString());
                System.out.println("status webhooks to " + webhookUrl + (secret == null || secret.isBlank()
                        ? " (unsigned: set SANDBOX_WEBHOOK_SECRET)" : " (signed)"));
            }
            if (sandbox.metricsUrl() != null) {
                System.out.println("metrics: " + sandbox.metricsUrl());
            }
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return 0;
    }
}
