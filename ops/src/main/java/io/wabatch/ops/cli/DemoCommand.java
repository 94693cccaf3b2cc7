package io.wabatch.ops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoRun;
import io.wabatch.ops.demo.DemoStack;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wabatch demo}: the whole pipeline in one JVM with a sample campaign. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded Kafka broker, the sandbox WhatsApp API, a local media origin and both "
                + "workers, run a sample campaign (templates, images, documents, video, texts over two channels) "
                + "and print a summary.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Embedded broker port (a free one if taken).")
    int kafkaPort;

    @Option(names = "--sandbox-port", defaultValue = "8080", description = "Sandbox API port (a free one if taken).")
    int sandboxPort;

    @Option(names = "--ops-port", defaultValue = "0", description = "First of five consecutive ports for the "
            + "metrics and health endpoints of the upload worker, the sender worker, the sandbox, the webhook receiver and "
            + "the funnel aggregator (0 = free ports).")
    int opsPort;

    @Option(names = "--bootstrap-server", description = "Use this Kafka cluster instead of the embedded broker.")
    String bootstrap;

    @Option(names = "--mps", defaultValue = "80", description = "Each sandbox number's throughput limit.")
    int mps;

    @Option(names = "--summary-json", description = "Also write the summary as JSON to this file.")
    Path summaryJson;

    @Option(names = "--hold", description = "Keep everything running after the campaign, until Ctrl-C.")
    boolean hold;

    @Option(names = "--timeout", defaultValue = "300", description = "Seconds to wait for every result.")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        out.println("starting embedded Kafka, sandbox API, media origin, both workers, the webhook receiver and the funnel ...");
        try (DemoStack stack = DemoStack.start(new DemoOptions(bootstrap, kafkaPort, sandboxPort, mps, 4,
                TopicNames.defaults(), Map.of(), opsPort).withSampleCatalogue())) {
            printEndpoints(out, stack);
            ObjectNode summary = new DemoRun(stack, out).run(Duration.ofSeconds(timeoutSeconds));
            out.println(Summaries.text(summary));
            if (summaryJson != null) {
                Files.write(summaryJson, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(summary));
                out.println("summary written to " + summaryJson);
            }
            if (hold) {
                holdUntilInterrupted(out, stack);
            }
            return summary.path("complete").asBoolean() ? 0 : 1;
        }
    }

    private static void printEndpoints(PrintStream out, DemoStack stack) {
        out.println("  kafka bootstrap : " + stack.bootstrap());
        out.println("  sandbox API     : " + stack.sandbox().baseUrl() + "  (stats: " + stack.sandbox().baseUrl()
                + "/_sandbox/stats)");
        out.println("  media origin    : " + stack.origin().url("/media/"));
        out.println("  channels        : " + String.join(", ", stack.registry().ids().stream().sorted().toList()));
        // One line per endpoint, "metrics <url> <component>", so a script can point Prometheus at them.
        stack.metricsEndpoints().forEach((component, url) -> out.println("  metrics " + url + " " + component));
        out.println("  (each with /health/live and /health/ready beside /metrics)");
    }

    private static void holdUntilInterrupted(PrintStream out, DemoStack stack) throws InterruptedException {
        out.println();
        out.println("holding: publish your own jobs to wa.jobs, e.g.");
        out.println("  echo '{\"v\":1,\"job_id\":\"my-1\",\"campaign_id\":\"mine\",\"channel\":\"demo-360\","
                + "\"to\":\"+4915100000001\",\"message\":{\"type\":\"image\",\"image\":{\"link\":\""
                + stack.origin().url("/media/sample.jpg") + "\"}}}' | kcat -P -b " + stack.bootstrap() + " -t wa.jobs");
        out.println("  kcat -C -b " + stack.bootstrap() + " -t wa.results -o beginning");
        out.println("or a campaign from a CSV, and its funnel:");
        out.println("  java -jar ops/target/wabatch.jar campaign publish -b " + stack.bootstrap()
                + " --campaign my-csv --channel demo-360 --recipients recipients.csv --message message.json");
        out.println("  java -jar ops/target/wabatch.jar campaign status -b " + stack.bootstrap() + " my-csv --watch");
        out.println("media links on 127.0.0.0/8 are allowed, so you can serve your own files locally. Ctrl-C stops.");
        CountDownLatch interrupted = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(interrupted::countDown));
        interrupted.await();
    }

}
