package io.wabatch.ops.bench;

/** One {@code wabatch bench} scenario: starts what it needs in {@code env}, runs, and reports. */
public interface Scenario {

    /** The name on the command line. */
    String name();

    /** Runs the scenario. */
    BenchReport run(BenchEnv env, BenchOptions options) throws Exception;
}
