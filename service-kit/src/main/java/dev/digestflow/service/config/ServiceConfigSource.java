package dev.digestflow.service.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where a service's settings come from: an optional properties file, overridden by environment
 * variables. A key {@code inbox.dir} is overridden by {@code DIGESTFLOW_INBOX_DIR}: upper case, dots
 * and dashes as underscores, with the prefix. Keys under {@code kafka.} pass through to the Kafka
 * clients (SASL/SSL settings), e.g. {@code DIGESTFLOW_KAFKA_SECURITY_PROTOCOL}; there, as in
 * Confluent's images, {@code __} stands for an underscore and {@code ___} for a dash.
 */
public final class ServiceConfigSource {

    public static final String ENV_PREFIX = "DIGESTFLOW_";

    private ServiceConfigSource() {
    }

    /** Reads the file (if given), then applies the environment overrides for the known keys. */
    public static Map<String, Object> load(Path file, Iterable<String> knownKeys, Map<String, String> env) throws IOException {
        Map<String, Object> values = new HashMap<>();
        if (file != null) {
            Properties props = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(r);
            }
            props.forEach((k, v) -> values.put(k.toString(), v.toString().strip()));
        }
        for (String key : knownKeys) {
            String v = env.get(envName(key));
            if (v != null) {
                values.put(key, v);
            }
        }
        // Client pass-through keys are open-ended, so they are discovered from the environment.
        env.forEach((name, v) -> {
            if (name.startsWith(ENV_PREFIX + "KAFKA_")) {
                values.put("kafka." + passThroughKey(name.substring((ENV_PREFIX + "KAFKA_").length())), v);
            }
        });
        return values;
    }

    /**
     * A Kafka setting's name from the rest of its variable's name, escaped as Confluent's images do:
     * {@code _} is a dot, {@code __} an underscore, {@code ___} a dash
     * ({@code SSL_KEYSTORE___TYPE} would be {@code ssl.keystore-type}).
     */
    static String passThroughKey(String rest) {
        StringBuilder out = new StringBuilder();
        String lower = rest.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < lower.length()) {
            if (lower.startsWith("___", i)) {
                out.append('-');
                i += 3;
            } else if (lower.startsWith("__", i)) {
                out.append('_');
                i += 2;
            } else if (lower.charAt(i) == '_') {
                out.append('.');
                i++;
            } else {
                out.append(lower.charAt(i++));
            }
        }
        return out.toString();
    }

    /** The environment variable that overrides a key. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
