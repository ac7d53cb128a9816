package dev.digestflow.sink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import dev.digestflow.service.config.ServiceConfigSource;

class SinkConfigTest {

    @Test
    void defaultsFollowTheContract() {
        SinkConfig c = new SinkConfig(Map.of());
        assertThat(c.getString(SinkConfig.GROUP_ID)).isEqualTo("digestflow-index-sink");
        assertThat(c.getString(SinkConfig.TAGGED_TOPIC)).isEqualTo("digest.items.tagged");
        assertThat(c.getString(SinkConfig.DLQ_TOPIC)).isEqualTo("digest.items.dlq");
        assertThat(c.getString(SinkConfig.INDEX_ALIAS)).isEqualTo("digest-items");
        assertThat(c.getList(SinkConfig.ES_URLS)).containsExactly("http://127.0.0.1:9200");
        assertThat(c.getLong(SinkConfig.BULK_MAX_BYTES)).isEqualTo(5L * 1024 * 1024);
        assertThat(c.getInt(SinkConfig.BULK_MAX_OPERATIONS)).isEqualTo(1000);
        assertThat(c.getLong(SinkConfig.BULK_FLUSH_INTERVAL_MS)).isEqualTo(1000);
        assertThat(c.malformedPolicy()).isEqualTo(SinkConfig.MalformedPolicy.DLQ);
        assertThat(c.versioning()).isEqualTo(SinkConfig.Versioning.KAFKA_OFFSET);
        assertThat(c.getInt(SinkConfig.HTTP_PORT)).isEqualTo(8093);
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> new SinkConfig(Map.of(SinkConfig.MALFORMED_POLICY, "explode"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(SinkConfig.MALFORMED_POLICY);
        assertThatThrownBy(() -> new SinkConfig(Map.of(SinkConfig.BULK_MAX_OPERATIONS, "0"))).hasMessageContaining(SinkConfig.BULK_MAX_OPERATIONS);
        assertThatThrownBy(() -> new SinkConfig(Map.of(SinkConfig.ES_URLS, "localhost:9200"))).hasMessageContaining(SinkConfig.ES_URLS)
                .hasMessageContaining("scheme");
        assertThatThrownBy(() -> new SinkConfig(Map.of(SinkConfig.DLQ_TOPIC, "digest.items.tagged"))).hasMessageContaining(SinkConfig.DLQ_TOPIC);
        assertThatThrownBy(() -> new SinkConfig(Map.of(SinkConfig.BUFFER_MAX_RECORDS, "10"))).hasMessageContaining(SinkConfig.BUFFER_MAX_RECORDS);
        assertThatThrownBy(() -> new SinkConfig(Map.of(SinkConfig.RETRY_BACKOFF_INITIAL_MS, "5000", SinkConfig.RETRY_BACKOFF_MAX_MS, "100")))
                .hasMessageContaining(SinkConfig.RETRY_BACKOFF_MAX_MS);
    }

    @Test
    void authSettingsAreExclusiveAndSecretsAreHidden() {
        assertThatThrownBy(() -> new SinkConfig(Map.of(SinkConfig.ES_USERNAME, "u", SinkConfig.ES_API_KEY, "s3cr3t-key")))
                .hasMessageContaining(SinkConfig.ES_API_KEY).hasMessageNotContaining("s3cr3t-key");
        assertThatThrownBy(() -> new SinkConfig(Map.of(SinkConfig.ES_PASSWORD, "p4ss"))).hasMessageContaining(SinkConfig.ES_USERNAME)
                .hasMessageNotContaining("p4ss");
        SinkConfig c = new SinkConfig(Map.of(SinkConfig.ES_USERNAME, "elastic", SinkConfig.ES_PASSWORD, "p4ss-w0rd"));
        assertThat(c.toString()).doesNotContain("p4ss-w0rd");
        assertThat(c.values().toString()).doesNotContain("p4ss-w0rd");
    }

    @Test
    void environmentOverridesTheFileAndKafkaSettingsPassThrough() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DIGESTFLOW_ES_URLS", "https://es1:9200,https://es2:9200");
        env.put("DIGESTFLOW_MALFORMED_POLICY", "warn");
        env.put("DIGESTFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        SinkConfig c = new SinkConfig(ServiceConfigSource.load(null, SinkConfig.CONFIG_DEF.names(), env));
        assertThat(c.getList(SinkConfig.ES_URLS)).isEqualTo(List.of("https://es1:9200", "https://es2:9200"));
        assertThat(c.malformedPolicy()).isEqualTo(SinkConfig.MalformedPolicy.WARN);
        assertThat(c.kafkaPassThrough()).containsEntry("security.protocol", "SASL_SSL");
    }

    /** A mistyped URL with credentials is quoted in the error, without them. */
    @org.junit.jupiter.api.Test
    void anInvalidEsUrlIsQuotedWithoutItsCredentials() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SinkConfig(java.util.Map.of(SinkConfig.ES_URLS, "elastic:changeme@es:9200")))
                .hasMessageContaining(SinkConfig.ES_URLS).hasMessageNotContaining("changeme");
    }
}
