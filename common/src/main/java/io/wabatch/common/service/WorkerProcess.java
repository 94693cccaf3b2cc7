package io.wabatch.common.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.wabatch.common.config.ConfigSources;
import io.wabatch.common.config.WorkerConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wabatch.common.observe.HealthCheck;
import io.wabatch.common.observe.Observability;
import io.wabatch.common.observe.OpsServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a worker process: read configuration ({@code WABATCH_*} environment variables and
 * an optional properties file, {@code WABATCH_CONFIG_FILE} or the first argument), open the metrics
 * and health endpoint ({@code ops.host}:{@code ops.port}, live and not ready while the worker
 * starts), start, and on SIGTERM drain and close before exiting 0. A configuration or topic problem
 * exits 2 with the reason on one line, no stack trace; an error that stops consuming exits 1.
 */
public final class WorkerProcess {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);

    /** A started worker: closeable, able to say when it stopped on its own, and how healthy it is. */
    public interface Worker extends AutoCloseable, HealthCheck {
        /** Completes when consuming has stopped; exceptionally when an error stopped it. */
        java.util.concurrent.CompletableFuture<Void> terminated();
    }

    /** Starts a worker from its configuration, registering its meters in {@code meters}. */
    @FunctionalInterface
    public interface Starter<C extends WorkerConfig> {
        Worker start(C config, MeterRegistry meters) throws Exception;
    }

    private static final Pattern INVALID_VALUE =
            Pattern.compile("Invalid value (.*) for configuration (\\S+?)(: .*)?", Pattern.DOTALL);

    private WorkerProcess() {
    }

    /**
     * Why a worker cannot start, in one line. A rejected configuration value is not repeated: it
     * may be a key pasted into the wrong variable, and this line goes to the logs.
     */
    static String reason(Exception e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof ConfigException) {
            Matcher invalid = INVALID_VALUE.matcher(message);
            if (invalid.matches()) {
                return "invalid value for " + invalid.group(2) + (invalid.group(3) == null ? "" : invalid.group(3))
                        + " (the value is not shown: it may be a secret)";
            }
        }
        return message;
    }

    /**
     * Runs until SIGTERM. {@code definition} is the service's configuration definition: keys it does
     * not define stop it (see {@link ConfigSources#load}).
     */
    public static <C extends WorkerConfig> void run(String name, String[] args, ConfigDef definition,
                                                    Function<Map<String, String>, C> config, Starter<C> starter)
            throws InterruptedException {
        Map<String, String> env = System.getenv();
        try {
            ConfigSources.checkProcessVariables(env);
        } catch (ConfigException e) {
            // Logging itself is misconfigured, so the logger may have nowhere to write: say it on stderr.
            System.err.println(name + " cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Started started;
        try {
            C parsed = config.apply(ConfigSources.load(definition, env, args.length > 0 ? Path.of(args[0]) : null,
                    Map.of()));
            started = start(parsed, starter);
        } catch (Exception e) {
            LOG.error("{} cannot start: {}", name, reason(e));
            System.exit(2);
            return;
        }
        runUntilStopped(name, started.worker(), started.ops());
    }

    private record Started(Worker worker, OpsServer ops) {
    }

    /** Opens the metrics and health endpoint, then starts the worker; closes the endpoint if that fails. */
    private static <C extends WorkerConfig> Started start(C config, Starter<C> starter) throws Exception {
        PrometheusMeterRegistry meters = Observability.prometheus();
        OpsServer ops = OpsServer.start(config.opsHost(), config.opsPort(), meters::scrape);
        Worker worker;
        try {
            worker = starter.start(config, meters);
        } catch (Exception | Error e) {
            ops.close();
            throw e;
        }
        ops.health(worker);
        return new Started(worker, ops);
    }

    /** Exits 1 if the worker stops on its own with an error; on SIGTERM closes it and exits 0 (1 if unclean). */
    private static void runUntilStopped(String name, Worker worker, OpsServer ops) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        worker.terminated().whenComplete((v, error) -> {
            if (error != null) {
                // Nothing consumes any more: exit so the orchestrator restarts us; uncommitted records are redelivered.
                LOG.error("{} stopped consuming: {}; exiting", name, error.toString());
                Runtime.getRuntime().halt(1);
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int status = 0;
            try {
                worker.close();
            } catch (Exception e) {
                LOG.warn("{} did not close cleanly: {}", name, e.toString());
                status = 1;
            }
            ops.close();
            stopped.countDown();
            // Drained and committed: say so with 0 rather than the JVM's 143 for SIGTERM.
            Runtime.getRuntime().halt(status);
        }, name + "-shutdown"));
        stopped.await();
    }
}
