package io.wabatch.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where a service's configuration comes from, lowest precedence first: built-in defaults, an
 * optional properties file ({@code WABATCH_CONFIG_FILE} or the first argument), environment
 * variables, explicit overrides (command-line options, tests).
 *
 * <p>Environment variables map to keys by dropping {@code WABATCH_}, lower-casing and turning
 * {@code _} into {@code .}: {@code WABATCH_BOOTSTRAP_SERVERS} → {@code bootstrap.servers},
 * {@code WABATCH_KAFKA_SECURITY_PROTOCOL} → {@code kafka.security.protocol}. wabatch's own keys
 * therefore use only dots.
 *
 * <p>A service reads only its own keys, and a misspelt one stops it rather than being ignored: a key
 * in the file or the overrides that the service does not define, or a {@code WABATCH_} variable that
 * no service defines, is refused with the closest key the service knows. A variable that another
 * service defines is skipped quietly, so that services can share one environment (docker-compose).
 * {@code kafka.*} keys pass through unchecked: Kafka's clients check them.
 */
public final class ConfigSources {

    /** Environment variable naming an optional properties file. */
    public static final String CONFIG_FILE_ENV = "WABATCH_CONFIG_FILE";
    /** Environment variable: the level of wabatch's own loggers (logback.xml reads it). */
    public static final String LOG_LEVEL_ENV = "WABATCH_LOG_LEVEL";
    /** Environment variable: the level of every other logger, e.g. Vert.x's HTTP client (logback.xml reads it). */
    public static final String LOG_ROOT_LEVEL_ENV = "WABATCH_LOG_ROOT_LEVEL";
    /** Environment variable: {@code text} (default) or {@code json} logs (logback.xml reads it). */
    public static final String LOG_FORMAT_ENV = "WABATCH_LOG_FORMAT";
    /**
     * The variables the process reads itself, not configuration keys: logging is set up before any
     * configuration is read.
     */
    public static final Set<String> PROCESS_VARIABLES = Set.of(CONFIG_FILE_ENV, LOG_LEVEL_ENV,
            LOG_ROOT_LEVEL_ENV, LOG_FORMAT_ENV);
    /** The forms {@link #LOG_FORMAT_ENV} takes: the names of logback.xml's appenders. */
    public static final List<String> LOG_FORMATS = List.of("text", "json");
    /** The levels logback takes (any letter case); it would read anything else as DEBUG. */
    public static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF", "ALL");
    private static final String PREFIX = "WABATCH_";

    private ConfigSources() {
    }

    /** The key an environment variable sets, or null when it is not a wabatch variable. */
    public static String keyOf(String variable) {
        if (!variable.startsWith(PREFIX) || PROCESS_VARIABLES.contains(variable) || variable.length() == PREFIX.length()) {
            return null;
        }
        return variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** The environment variable that sets a key. */
    public static String variableOf(String key) {
        return PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /**
     * Merges file, environment and overrides into the raw values of the service defined by
     * {@code definition}.
     *
     * @throws ConfigException naming the first key the service does not know, and the closest it does
     */
    public static Map<String, String> load(ConfigDef definition, Map<String, String> env, Path file,
                                           Map<String, String> overrides) {
        Set<String> own = definition.names();
        Map<String, String> values = new HashMap<>();
        Path configFile = file != null ? file : env.containsKey(CONFIG_FILE_ENV) ? Path.of(env.get(CONFIG_FILE_ENV)) : null;
        if (configFile != null) {
            readProperties(configFile).forEach((key, value) -> {
                requireKnown(own, key, "in " + configFile);
                values.put(key, value);
            });
        }
        env.keySet().stream().sorted().forEach(variable -> {
            String key = keyOf(variable);
            if (key == null || ServiceKeys.OTHER_VARIABLES.contains(variable)
                    || !own.contains(key) && !isPassThrough(key) && ServiceKeys.ALL.contains(key)) {
                return; // not ours, or another service's
            }
            if (!own.contains(key) && !isPassThrough(key)) {
                throw new ConfigException(variable + " is not a setting of any wabatch service; did you mean "
                        + closest(variable, Stream.concat(own.stream().map(ConfigSources::variableOf),
                        PROCESS_VARIABLES.stream()).toList()) + "?");
            }
            values.put(key, env.get(variable));
        });
        overrides.forEach((key, value) -> {
            requireKnown(own, key, "given");
            values.put(key, value);
        });
        return values;
    }

    /**
     * Checks the variables the process reads itself, before anything else: logback would read an
     * unknown format as an appender that does not exist (no logs at all) and an unknown level as DEBUG.
     *
     * @throws ConfigException naming the variable and the accepted forms
     */
    public static void checkProcessVariables(Map<String, String> env) {
        String format = env.get(LOG_FORMAT_ENV);
        if (format != null && !LOG_FORMATS.contains(format)) {
            throw new ConfigException("invalid value for " + LOG_FORMAT_ENV + ": the log format is one of "
                    + String.join(", ", LOG_FORMATS) + " (the value is not shown: it may be a secret)");
        }
        for (String variable : List.of(LOG_LEVEL_ENV, LOG_ROOT_LEVEL_ENV)) {
            String level = env.get(variable);
            if (level != null && !LOG_LEVELS.contains(level.strip().toUpperCase(Locale.ROOT))) {
                throw new ConfigException("invalid value for " + variable + ": the log level is one of "
                        + String.join(", ", LOG_LEVELS) + " (the value is not shown: it may be a secret)");
            }
        }
    }

    private static boolean isPassThrough(String key) {
        return key.startsWith(WorkerConfig.KAFKA_PREFIX);
    }

    private static void requireKnown(Set<String> own, String key, String where) {
        if (!own.contains(key) && !isPassThrough(key)) {
            throw new ConfigException("unknown configuration key '" + key + "' " + where + "; did you mean '"
                    + closest(key, own) + "'?");
        }
    }

    /** The candidate nearest to {@code text} by edit distance (ties: the first in alphabetical order). */
    static String closest(String text, Collection<String> candidates) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        return candidates.stream().sorted()
                .min(Comparator.comparingInt(candidate -> distance.apply(text, candidate)))
                .orElse("(none)");
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }
}
