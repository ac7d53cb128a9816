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
 * clients (SASL/SSL settings), e.g. {@code DIGESTFLOW_KAFKA_SECURITY_PROTOCOL}.
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
                values.put("kafka." + name.substring((ENV_PREFIX + "KAFKA_").length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        return values;
    }

    /** The environment variable that overrides a key. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
