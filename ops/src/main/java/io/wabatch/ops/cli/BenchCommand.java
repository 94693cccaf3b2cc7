package io.wabatch.ops.cli;

import io.wabatch.ops.bench.BenchEnv;
import io.wabatch.ops.bench.BenchOptions;
import io.wabatch.ops.bench.BenchReport;
import io.wabatch.ops.bench.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wabatch bench <scenario>}: runs a benchmark scenario on this machine (embedded broker,
 * sandbox and media origin in this JVM, workers as child JVMs) and prints its figures against the
 * targets; see BENCHMARKS.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run a benchmark scenario: pacing, ceiling, hol, memory, dedupe, latency, webhooks, or all.",
                "Everything runs on this machine (embedded Kafka, sandbox API, media origin; workers as child JVMs).",
                "Figures and their commands: BENCHMARKS.md."})
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "pacing, ceiling, hol, memory, dedupe, latency, webhooks or all.")
    String scenario;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "60",
            description = "Length of each measured phase in seconds (default ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the figures as JSON; with 'all', a directory that gets <scenario>.json each.")
    Path json;

    @Option(names = "--documents", defaultValue = "20", description = "memory: documents uploaded at once (default ${DEFAULT-VALUE}).")
    int documents;

    @Option(names = "--document-mb", defaultValue = "100", description = "memory: size of each document in MB (default ${DEFAULT-VALUE}).")
    int documentMb;

    @Option(names = "--recipients", defaultValue = "100000", description = "dedupe: recipients of the campaign (default ${DEFAULT-VALUE}).")
    int recipients;

    @Option(names = "--profile", description = "ceiling: record both workers with JFR and list their hottest methods.")
    boolean profile;

    @Option(names = "--inbound", paramLabel = "SHARE", defaultValue = "0",
            description = "pacing: customers write to each number this share of its limit a second (0.25: 20/s at "
                    + "80 mps, 250/s at 1,000), through signed webhooks to a webhook receiver (default ${DEFAULT-VALUE}).")
    double inbound;

    @Override
    public Integer call() throws Exception {
        BenchOptions options = new BenchOptions(duration, documents, documentMb, recipients, profile, inbound);
        List<String> names = scenario.equals("all") ? Scenarios.names() : List.of(Scenarios.named(scenario).name());
        boolean allMet = true;
        try (BenchEnv env = BenchEnv.start()) {
            for (String name : names) {
                BenchReport report = Scenarios.named(name).run(env, options);
                System.out.println(report.table());
                allMet &= !report.table().contains("MISSED");
                if (json != null) {
                    Path file = scenario.equals("all") ? Files.createDirectories(json).resolve(name + ".json") : json;
                    report.write(file);
                    System.out.println("  JSON: " + file);
                }
            }
        }
        return allMet ? 0 : 3;
    }
}
