package dev.digestflow.service.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.LoggerFactory;

/**
 * What every service's typed config shares.
 * <ul>
 * <li>The keys every service has are defined once here ({@link #baseDefinition}), in groups; a
 *     service's own {@link ConfigDef} starts from it.</li>
 * <li>{@code kafka.*} keys (security, SASL, SSL) pass through to every Kafka client, and the serde gets
 *     the registry URL plus the same keys (registry auth and TLS use Confluent's key names).</li>
 * <li>A renamed key keeps working for one release under its old name, with a warning
 *     ({@link #deprecated}).</li>
 * <li>A key no service knows is refused at start, named, rather than silently ignored: a typo in a
 *     key would otherwise leave the default in force without a word.</li>
 * </ul>
 */
public abstract class KafkaServiceConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_STARTUP_WAIT_MS = "schema.registry.startup.wait.ms";
    public static final String TOPIC_PARTITIONS = "topic.partitions";
    public static final String TOPIC_REPLICATION = "topic.replication.factor";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_BIND_ADDRESS = "http.bind.address";
    public static final String PASS_THROUGH_PREFIX = "kafka.";

    public static final String GROUP_KAFKA = "Kafka and the schema registry";
    public static final String GROUP_OPERATIONS = "Operations";
    public static final String GROUP_DEPRECATED = "Deprecated (removed in the next release)";

    private static final String DEPRECATED_DOC_PREFIX = "Deprecated: use ";

    private final Map<String, String> renamed;

    protected KafkaServiceConfig(ConfigDef definition, Map<?, ?> originals) {
        this(definition, renamedKeys(definition), originals);
    }

    private KafkaServiceConfig(ConfigDef definition, Map<String, String> renamed, Map<?, ?> originals) {
        super(definition, withRenamedKeysMoved(renamed, originals), false);
        this.renamed = renamed;
        refuseUnknownKeys(definition, originals);
    }

    /**
     * The keys every service has, with this service's ops port as the default. Groups order the
     * generated documentation.
     */
    public static ConfigDef baseDefinition(int defaultHttpPort) {
        int k = 0;
        int o = 0;
        return new ConfigDef()
                .define(BOOTSTRAP_SERVERS, Type.STRING, "127.0.0.1:9092", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Kafka bootstrap servers.", GROUP_KAFKA, ++k, Width.LONG, BOOTSTRAP_SERVERS)
                .define(SCHEMA_REGISTRY_URL, Type.STRING, "http://127.0.0.1:8081", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Schema registry URL(s), Confluent API. User-info in the URL is never logged.", GROUP_KAFKA, ++k, Width.LONG, SCHEMA_REGISTRY_URL)
                .define(SCHEMA_REGISTRY_STARTUP_WAIT_MS, Type.LONG, 300_000L, Range.atLeast(0), Importance.LOW,
                        "How long start-up waits for the schema registry to answer (saying so on each attempt) before the service exits 1. "
                        + "Once running, an unreachable registry is waited out for as long as it lasts.",
                        GROUP_KAFKA, ++k, Width.SHORT, SCHEMA_REGISTRY_STARTUP_WAIT_MS)
                .define(TOPIC_PARTITIONS, Type.INT, 3, Range.atLeast(1), Importance.LOW,
                        "Partitions of the topics this service creates when they are missing.", GROUP_KAFKA, ++k, Width.SHORT, TOPIC_PARTITIONS)
                .define(TOPIC_REPLICATION, Type.SHORT, (short) -1, Importance.LOW,
                        "Replication factor of the topics this service creates; -1 = the broker's default.", GROUP_KAFKA, ++k, Width.SHORT, TOPIC_REPLICATION)
                .define(HTTP_PORT, Type.INT, defaultHttpPort, Range.between(0, 65535), Importance.LOW,
                        "Port of /health and /metrics; 0 = any free port.", GROUP_OPERATIONS, ++o, Width.SHORT, HTTP_PORT)
                .define(HTTP_BIND_ADDRESS, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.LOW,
                        "Address /health and /metrics listen on. Loopback by default: they carry no authentication. Containers set 0.0.0.0.",
                        GROUP_OPERATIONS, ++o, Width.MEDIUM, HTTP_BIND_ADDRESS);
    }

    /** Defines {@code oldKey} as a deprecated name of {@code newKey}: its value moves over, with a warning. */
    public static ConfigDef deprecated(ConfigDef definition, String oldKey, String newKey) {
        return definition.define(oldKey, Type.STRING, null, Importance.LOW, DEPRECATED_DOC_PREFIX + newKey + ".", GROUP_DEPRECATED, 0, Width.MEDIUM, oldKey);
    }

    /** Old name to new name, read off the definition's deprecated keys. */
    public static Map<String, String> renamedKeys(ConfigDef definition) {
        Map<String, String> renamed = new LinkedHashMap<>();
        definition.configKeys().forEach((name, key) -> {
            if (GROUP_DEPRECATED.equals(key.group) && key.documentation != null && key.documentation.startsWith(DEPRECATED_DOC_PREFIX)) {
                String doc = key.documentation.substring(DEPRECATED_DOC_PREFIX.length());
                renamed.put(name, doc.endsWith(".") ? doc.substring(0, doc.length() - 1) : doc);
            }
        });
        return renamed;
    }

    private static Map<Object, Object> withRenamedKeysMoved(Map<String, String> renamed, Map<?, ?> originals) {
        Map<Object, Object> values = new HashMap<>(originals);
        renamed.forEach((oldKey, newKey) -> {
            Object value = values.get(oldKey);
            if (value == null) {
                return;
            }
            if (values.containsKey(newKey)) {
                LoggerFactory.getLogger(KafkaServiceConfig.class).warn("both '{}' and its deprecated name '{}' are set; '{}' wins", newKey, oldKey, newKey);
            } else {
                LoggerFactory.getLogger(KafkaServiceConfig.class).warn("'{}' is deprecated and will be removed in the next release; use '{}' ({})",
                        oldKey, newKey, ServiceConfigSource.envName(newKey));
                values.put(newKey, value);
            }
        });
        return values;
    }

    private static void refuseUnknownKeys(ConfigDef definition, Map<?, ?> originals) {
        Set<String> unknown = new TreeSet<>();
        for (Object key : originals.keySet()) {
            String name = String.valueOf(key);
            if (!definition.names().contains(name) && !name.startsWith(PASS_THROUGH_PREFIX)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new ConfigException(first, originals.get(first), "unknown key" + (unknown.size() > 1 ? "s " + unknown : "")
                    + ": not a setting of this service (Kafka client settings go under '" + PASS_THROUGH_PREFIX + "'). Known keys: "
                    + new TreeSet<>(definition.names()));
        }
    }

    /** {@value #SCHEMA_REGISTRY_STARTUP_WAIT_MS}. */
    public java.time.Duration registryStartupWait() {
        return java.time.Duration.ofMillis(getLong(SCHEMA_REGISTRY_STARTUP_WAIT_MS));
    }

    /** The deprecated names still accepted, old to new. */
    public Map<String, String> renamedKeys() {
        return renamed;
    }

    /** The kinds of Kafka client a service creates, with the prefix that gives one kind its own settings (as Kafka Streams has them). */
    public enum Client {
        PRODUCER("producer."), CONSUMER("consumer."), ADMIN("admin.");

        private final String prefix;

        Client(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    /**
     * The settings for one kind of client: every {@code kafka.*} setting, then
     * {@code kafka.producer.*}, {@code kafka.consumer.*} or {@code kafka.admin.*} over them, prefix
     * removed (e.g. {@code kafka.producer.max.request.size} for the producer only).
     */
    public Map<String, Object> clientSettings(Client client) {
        Map<String, Object> shared = new HashMap<>();
        Map<String, Object> own = new HashMap<>();
        kafkaPassThrough().forEach((key, value) -> {
            if (key.startsWith(client.prefix())) {
                own.put(key.substring(client.prefix().length()), value);
            } else if (java.util.Arrays.stream(Client.values()).noneMatch(c -> key.startsWith(c.prefix()))) {
                shared.put(key, value);
            }
        });
        shared.putAll(own);
        return shared;
    }

    /** {@code kafka.*} settings, prefix removed, for every Kafka client (Kafka Streams takes them as they are, its own prefixes included). */
    public Map<String, Object> kafkaPassThrough() {
        return new HashMap<>(originalsWithPrefix(PASS_THROUGH_PREFIX));
    }

    /** Serde settings: the registry URL plus the pass-through keys. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> m = kafkaPassThrough();
        m.put(SCHEMA_REGISTRY_URL, getString(SCHEMA_REGISTRY_URL));
        return m;
    }

    public String httpBindAddress() {
        return getString(HTTP_BIND_ADDRESS);
    }
}
