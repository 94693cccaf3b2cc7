package io.wabatch.ops.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code wabatch jmh}: the JMH benchmarks of {@code io.wabatch.ops.bench.jmh}, with JMH's own command
 * line (everything after {@code jmh} goes to JMH, as to {@code java -jar benchmarks.jar}). JMH forks
 * its measuring JVMs with this JVM's class path, the shaded jar. Unlike JMH's launcher, a benchmark
 * that throws ends the run with exit code 1 unless {@code -foe false} is given.
 */
@Command(name = "jmh",
        description = {"Runs the JMH micro-benchmarks of the hot paths (job decode and encode, error "
                + "classification, token acquisition, offset tracking). Every argument goes to JMH: "
                + "'jmh OffsetTracker -f 1 -wi 1 -i 1 -rf json -rff out.json' runs a quick subset, "
                + "'jmh -l' lists the benchmarks, 'jmh -h' shows JMH's options.",
                "Exit code 0 when every benchmark ran, 1 when one failed or the options are wrong."})
final class JmhCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            System.err.println("wabatch jmh: " + e.getMessage());
            return 1;
        }
        Runner runner = new Runner(failOnError(options));
        if (options.shouldHelp()) {
            options.showHelp();
        } else if (options.shouldList()) {
            runner.list();
        } else if (options.shouldListWithParams()) {
            runner.listWithParams(options);
        } else if (options.shouldListProfilers()) {
            options.listProfilers();
        } else if (options.shouldListResultFormats()) {
            options.listResultFormats();
        } else {
            return run(runner);
        }
        return 0;
    }

    private static int run(Runner runner) {
        try {
            runner.run();
            return 0;
        } catch (NoBenchmarksException e) {
            System.err.println("wabatch jmh: no benchmark matches; 'wabatch jmh -l' lists them");
            return 1;
        } catch (RunnerException e) {
            System.err.println("wabatch jmh: " + e.getMessage());
            return 1;
        }
    }

    /** A run that lost a benchmark to an exception must not look like a success to a script. */
    private static Options failOnError(CommandLineOptions options) {
        return options.shouldFailOnError().hasValue() ? options
                : new OptionsBuilder().parent(options).shouldFailOnError(true).build();
    }
}
