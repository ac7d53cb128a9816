package dev.digestflow.service.config;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * What every service's typed config shares: {@code kafka.*} keys (security, SASL, SSL) pass through to
 * every Kafka client, and the serde gets the registry URL plus the same pass-through keys (registry
 * auth and TLS use Confluent's key names). Each service defines {@value #SCHEMA_REGISTRY_URL} in its
 * own {@link ConfigDef}.
 */
public abstract class KafkaServiceConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String PASS_THROUGH_PREFIX = "kafka.";

    protected KafkaServiceConfig(ConfigDef definition, Map<?, ?> originals) {
        super(definition, originals, false);
    }

    /** {@code kafka.*} settings, prefix removed, for every Kafka client. */
    public Map<String, Object> kafkaPassThrough() {
        return new HashMap<>(originalsWithPrefix(PASS_THROUGH_PREFIX));
    }

    /** Serde settings: the registry URL plus the pass-through keys. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> m = kafkaPassThrough();
        m.put(SCHEMA_REGISTRY_URL, getString(SCHEMA_REGISTRY_URL));
        return m;
    }
}
