package dev.digestflow.service.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The README's configuration tables, generated from a service's {@link ConfigDef} (Kafka's
 * {@code ConfigDef.toEnrichedRst} is the model): key, default, valid values, environment variable and
 * documentation, grouped as defined. A table kept by hand drifts from the code; this one cannot, since
 * a test compares the README with it.
 */
public final class ConfigDocs {

    private static final String OWN_GROUP = "This service";

    private ConfigDocs() {
    }

    /** A Markdown table of every key, by group, deprecated keys last. */
    public static String markdown(ConfigDef definition) {
        Map<String, List<ConfigKey>> groups = new LinkedHashMap<>();
        for (ConfigKey key : definition.configKeys().values()) {
            groups.computeIfAbsent(key.group == null ? OWN_GROUP : key.group, g -> new ArrayList<>()).add(key);
        }
        List<ConfigKey> deprecated = groups.remove(KafkaServiceConfig.GROUP_DEPRECATED);
        if (deprecated != null) {
            groups.put(KafkaServiceConfig.GROUP_DEPRECATED, deprecated);
        }
        StringBuilder md = new StringBuilder("| key | default | valid values | environment variable | description |\n|---|---|---|---|---|\n");
        groups.forEach((group, keys) -> {
            md.append("| **").append(group).append("** | | | | |\n");
            for (ConfigKey key : keys) {
                md.append("| `").append(key.name).append("` | ").append(defaultOf(key)).append(" | ").append(cell(validValues(key))).append(" | `")
                        .append(ServiceConfigSource.envName(key.name)).append("` | ").append(cell(key.documentation)).append(" |\n");
            }
        });
        return md.toString();
    }

    /**
     * A definition's keys as a service takes them through its {@code kafka.} pass-through (the serde's
     * and registry client's), so that the table shows the keys and variables a user sets.
     */
    public static ConfigDef asPassThrough(ConfigDef definition, java.util.Set<String> except) {
        ConfigDef out = new ConfigDef();
        for (ConfigKey key : definition.configKeys().values()) {
            if (!except.contains(key.name)) {
                out.define(new ConfigKey(KafkaServiceConfig.PASS_THROUGH_PREFIX + key.name, key.type, key.defaultValue, key.validator, key.importance,
                        key.documentation, "Schema registry client and serde (Confluent's names)", 0, key.width, key.displayName, key.dependents,
                        key.recommender, key.internalConfig));
            }
        }
        return out;
    }

    private static String defaultOf(ConfigKey key) {
        if (!key.hasDefault() || key.defaultValue == null) {
            return "(none)";
        }
        if (key.type == Type.PASSWORD) {
            return "(hidden)";
        }
        Object v = key.defaultValue;
        String s = v instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(v);
        return s.isEmpty() ? "(empty)" : "`" + s + "`";
    }

    private static String validValues(ConfigKey key) {
        if (key.validator == null) {
            return key.type.name().toLowerCase(Locale.ROOT);
        }
        return key.validator.toString();
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * The document with each service's table replaced between its markers,
     * {@code <!-- config:NAME -->} and {@code <!-- /config:NAME -->}.
     *
     * @throws IllegalArgumentException when a service's markers are missing
     */
    public static String withTables(String document, Map<String, ConfigDef> services) {
        String out = document;
        for (Map.Entry<String, ConfigDef> e : services.entrySet()) {
            String open = "<!-- config:" + e.getKey() + " -->";
            String close = "<!-- /config:" + e.getKey() + " -->";
            int a = out.indexOf(open);
            int b = out.indexOf(close);
            if (a < 0 || b < a) {
                throw new IllegalArgumentException("no " + open + " ... " + close + " markers in the document");
            }
            out = out.substring(0, a + open.length()) + "\n" + markdown(e.getValue()) + out.substring(b);
        }
        return out;
    }
}
