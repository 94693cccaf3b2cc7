package io.wabatch.ops;

import io.wabatch.ops.cli.WabatchCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the {@code wabatch} command line in this JVM, capturing what it prints (and echoing it to the test's log). */
final class InProcessCli {

    /** What a run printed, and its exit code. */
    record Run(int exit, String output, String errors) {
    }

    private InProcessCli() {
    }

    static synchronized Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = WabatchCli.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String output = outBytes.toString(StandardCharsets.UTF_8);
        String errors = errBytes.toString(StandardCharsets.UTF_8);
        out.print(output);
        err.print(errors);
        return new Run(exit, output, errors);
    }
}
