package dev.digestflow.schema.serde;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.LoggerFactory;

/**
 * Configuration of the serde and its registry client. Key names are Confluent's own, so a user's
 * properties work unchanged with Confluent's {@code KafkaAvroSerializer}. Secrets are
 * {@link Type#PASSWORD}, which Kafka's config logging masks.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retries.wait.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retries.max.wait.ms";
    /** Old names, accepted with a warning for one release: digestflow's own before it took Confluent's. */
    static final Map<String, String> RENAMED = Map.of("schema.registry.max.retries", MAX_RETRIES, "schema.registry.retry.backoff.ms", RETRY_BACKOFF_MS,
            "schema.registry.retry.backoff.max.ms", RETRY_BACKOFF_MAX_MS);
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Comma-separated registry URLs, tried in order on connection failures. "
                            + "'mock://<scope>' uses an in-memory registry shared within the JVM (tests).")
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Register the record's schema under <topic>-value/-key when serializing.")
            .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.LOW,
                    "Serialize with the subject's latest registered schema instead of the record's own.")
            .define(SPECIFIC_AVRO_READER, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Deserialize into the generated SpecificRecord classes instead of GenericRecord.")
            .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, "URL",
                    ConfigDef.ValidString.in("USER_INFO", "URL"), Importance.MEDIUM,
                    "Where basic-auth credentials come from: URL (user:pass@host, Confluent's default) or USER_INFO (basic.auth.user.info).")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                    "Basic-auth credentials as 'user:password'. Never logged.")
            .define(TRUSTSTORE_LOCATION, Type.STRING, null, Importance.LOW,
                    "Trust store for HTTPS registries with a private CA: a JKS/PKCS12 file, or a PEM CA certificate file.")
            .define(TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                    "Password of the trust store (not needed for PEM). Never logged.")
            .define(TRUSTSTORE_TYPE, Type.STRING, "PKCS12",
                    ConfigDef.ValidString.in("JKS", "PKCS12", "PEM"), Importance.LOW,
                    "Trust store type: JKS, PKCS12 or PEM.")
            .define(MAX_RETRIES, Type.INT, 5, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Retries of one request on connection failures, timeouts, 5xx, 408 and 429 before the caller is told the registry is unavailable.")
            .define(RETRY_BACKOFF_MS, Type.LONG, 100L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "First retry backoff; doubled per attempt, with equal jitter.")
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 5_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Upper bound of one retry backoff.")
            .define(HTTP_CONNECT_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Connect timeout of registry requests.")
            .define(HTTP_READ_TIMEOUT_MS, Type.INT, 30_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Timeout of one registry request.");

    private final boolean userInfoWithoutSource;

    public AvroSerdeConfig(Map<?, ?> originals) {
        // doLog=false: serde configs are embedded in client configs that Kafka already logs (masked).
        super(CONFIG_DEF, renamed(originals), false);
        this.userInfoWithoutSource = !originals.containsKey(BASIC_AUTH_CREDENTIALS_SOURCE) && originals.get(BASIC_AUTH_USER_INFO) != null;
        if (userInfoWithoutSource) {
            LoggerFactory.getLogger(AvroSerdeConfig.class).warn("basic.auth.user.info is set but basic.auth.credentials.source is not: Confluent's "
                    + "default (URL) would ignore it; digestflow uses USER_INFO until the next release. Set basic.auth.credentials.source=USER_INFO.");
        }
    }

    private static Map<?, ?> renamed(Map<?, ?> originals) {
        if (RENAMED.keySet().stream().noneMatch(originals::containsKey)) {
            return originals;
        }
        Map<Object, Object> values = new java.util.HashMap<>(originals);
        RENAMED.forEach((old, current) -> {
            Object v = values.remove(old);
            if (v != null) {
                LoggerFactory.getLogger(AvroSerdeConfig.class).warn("'{}' is deprecated and will be removed in the next release; use '{}' (Confluent's name)",
                        old, current);
                values.putIfAbsent(current, v);
            }
        });
        return values;
    }

    /**
     * Where the credentials come from: the configured source, or USER_INFO when only
     * basic.auth.user.info is set (what digestflow's default was; warned about, for one release).
     */
    public String credentialsSource() {
        return userInfoWithoutSource ? "USER_INFO" : getString(BASIC_AUTH_CREDENTIALS_SOURCE);
    }

    public List<String> urls() {
        return getList(SCHEMA_REGISTRY_URL);
    }

    public boolean autoRegister() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION);
    }

    public boolean specificReader() {
        return getBoolean(SPECIFIC_AVRO_READER);
    }

    /** 'user:password' from basic.auth.user.info, or null. */
    public String userInfo() {
        Password p = getPassword(BASIC_AUTH_USER_INFO);
        return p == null ? null : p.value();
    }
}
