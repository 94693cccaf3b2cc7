package io.wabatch.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where configuration comes from, lowest precedence first: built-in defaults, an optional
 * properties file ({@code WABATCH_CONFIG_FILE} or {@code --config}), environment variables,
 * explicit overrides (command-line options, tests).
 *
 * <p>Environment variables map to keys by dropping {@code WABATCH_}, lower-casing and turning
 * {@code _} into {@code .}: {@code WABATCH_BOOTSTRAP_SERVERS} → {@code bootstrap.servers},
 * {@code WABATCH_KAFKA_SECURITY_PROTOCOL} → {@code kafka.security.protocol}. wabatch's own keys
 * therefore use only dots.
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

    /** Merges file, environment and overrides into one map of raw values. */
    public static Map<String, String> load(Map<String, String> env, Path file, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        Path configFile = file != null ? file : env.containsKey(CONFIG_FILE_ENV) ? Path.of(env.get(CONFIG_FILE_ENV)) : null;
        if (configFile != null) {
            values.putAll(readProperties(configFile));
        }
        env.forEach((variable, value) -> {
            String key = keyOf(variable);
            if (key != null) {
                values.put(key, value);
            }
        });
        values.putAll(overrides);
        return values;
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new org.apache.kafka.common.config.ConfigException("cannot read configuration file " + file + ": "
                    + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }
}
