package dev.digestflow.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.config.ConfigException;

import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.service.config.KafkaServiceConfig;
import dev.digestflow.service.config.ServiceConfigSource;
import dev.digestflow.sink.config.SinkConfig;

/**
 * The settings {@code up} and {@code check} give each service on top of up's own (its stack's
 * addresses, the home's folders, the ports): first a configuration file, then the same
 * {@code DIGESTFLOW_*} environment variables the standalone services read. The keys are the
 * services' own (the README's tables). In the file, a key may name its service
 * ({@code enrich-streams.taxonomy.file=...}); a key without one goes to every service that has it,
 * and {@code kafka.*} keys to all three. A key no service knows is refused, naming it.
 */
public record UpConfiguration(Map<String, Object> ingest, Map<String, Object> enrich, Map<String, Object> sink, List<String> applied) {

    public static final String INGEST = "ingest-producer";
    public static final String ENRICH = "enrich-streams";
    public static final String SINK = "index-sink";

    private static final Map<String, Set<String>> KEYS = Map.of(INGEST, IngestConfig.CONFIG_DEF.names(), ENRICH, EnrichConfig.CONFIG_DEF.names(),
            SINK, SinkConfig.CONFIG_DEF.names());

    /** Nothing beyond up's own settings. */
    public static UpConfiguration none() {
        return new UpConfiguration(Map.of(), Map.of(), Map.of(), List.of());
    }

    /**
     * @param file the configuration file, or null
     * @param env the environment ({@code System.getenv()})
     */
    public static UpConfiguration load(Path file, Map<String, String> env) throws IOException {
        Map<String, Map<String, Object>> byService = new LinkedHashMap<>();
        for (String service : List.of(INGEST, ENRICH, SINK)) {
            byService.put(service, new LinkedHashMap<>());
        }
        List<String> applied = new ArrayList<>();
        if (file != null) {
            Properties props = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(r);
            }
            for (String key : new TreeSet<>(props.stringPropertyNames())) {
                String value = props.getProperty(key).strip();
                String service = byService.keySet().stream().filter(s -> key.startsWith(s + ".")).findFirst().orElse(null);
                if (service != null) {
                    byService.get(service).put(key.substring(service.length() + 1), value);
                    continue;
                }
                boolean known = false;
                for (var e : byService.entrySet()) {
                    if (KEYS.get(e.getKey()).contains(key) || key.startsWith(KafkaServiceConfig.PASS_THROUGH_PREFIX)) {
                        e.getValue().put(key, value);
                        known = true;
                    }
                }
                if (!known) {
                    throw new ConfigException(key, value, "unknown key in " + file + ": not a setting of " + INGEST + ", " + ENRICH + " or " + SINK
                            + " (prefix a key with a service name to give it to that service only, e.g. " + ENRICH + ".taxonomy.file)");
                }
            }
            applied.add("file " + file.toAbsolutePath().normalize() + " (" + props.size() + " keys)");
        }
        Set<String> variables = new TreeSet<>();
        for (var e : byService.entrySet()) {
            Map<String, Object> fromEnv = ServiceConfigSource.load(null, KEYS.get(e.getKey()), env);
            e.getValue().putAll(fromEnv);
            fromEnv.keySet().forEach(k -> variables.add(ServiceConfigSource.envName(k)));
        }
        variables.forEach(v -> applied.add("environment " + v));
        return new UpConfiguration(Map.copyOf(byService.get(INGEST)), Map.copyOf(byService.get(ENRICH)), Map.copyOf(byService.get(SINK)),
                List.copyOf(applied));
    }

    /** up's settings for a service with these on top. */
    static Map<String, Object> over(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        out.putAll(overrides);
        return out;
    }
}
