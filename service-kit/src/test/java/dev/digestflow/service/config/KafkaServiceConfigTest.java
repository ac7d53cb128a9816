package dev.digestflow.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class KafkaServiceConfigTest {

    static final ConfigDef DEF = KafkaServiceConfig.deprecated(KafkaServiceConfig.baseDefinition(8099)
            .define("topic.raw", Type.STRING, "digest.items.raw", Importance.MEDIUM, "The raw topic."), "topic.items", "topic.raw");

    static final class Config extends KafkaServiceConfig {
        Config(Map<?, ?> originals) {
            super(DEF, originals);
        }
    }

    @Test
    void sharedKeysHaveTheirDefaultsAndTheServicePort() {
        Config c = new Config(Map.of());
        assertThat(c.getString(KafkaServiceConfig.BOOTSTRAP_SERVERS)).isEqualTo("127.0.0.1:9092");
        assertThat(c.getInt(KafkaServiceConfig.HTTP_PORT)).isEqualTo(8099);
        assertThat(c.httpBindAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void anUnknownKeyIsRefusedByName() {
        assertThatThrownBy(() -> new Config(Map.of("bootstrap.server", "x:9092"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.server").hasMessageContaining("unknown key").hasMessageContaining("bootstrap.servers");
        assertThat(new Config(Map.of("kafka.security.protocol", "SASL_SSL")).kafkaPassThrough()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void aDeprecatedNameStillWorksAndTheNewNameWins() {
        assertThat(new Config(Map.of("topic.items", "old")).getString("topic.raw")).isEqualTo("old");
        assertThat(new Config(Map.of("topic.items", "old", "topic.raw", "new")).getString("topic.raw")).isEqualTo("new");
        assertThat(new Config(Map.of()).renamedKeys()).containsExactly(Map.entry("topic.items", "topic.raw"));
    }

    @Test
    void theGeneratedTableListsEveryKeyWithItsEnvironmentVariable() {
        String md = ConfigDocs.markdown(DEF);
        for (String key : DEF.names()) {
            assertThat(md).contains("`" + key + "`").contains("`" + ServiceConfigSource.envName(key) + "`");
        }
        assertThat(md.indexOf("`topic.items`")).as("deprecated keys last").isGreaterThan(md.indexOf("`topic.raw`"));
    }

    /** kafka.* goes to every client; kafka.producer.* / consumer.* / admin.* only to that kind, over the shared value. */
    @Test
    void perClientSettingsOverrideTheSharedOnesForTheirClientOnly() {
        Config c = new Config(Map.of("kafka.security.protocol", "SASL_SSL", "kafka.request.timeout.ms", "30000",
                "kafka.producer.request.timeout.ms", "90000", "kafka.consumer.max.poll.records", "200"));
        assertThat(c.clientSettings(KafkaServiceConfig.Client.PRODUCER)).containsEntry("request.timeout.ms", "90000")
                .containsEntry("security.protocol", "SASL_SSL").doesNotContainKey("max.poll.records").doesNotContainKey("producer.request.timeout.ms");
        assertThat(c.clientSettings(KafkaServiceConfig.Client.CONSUMER)).containsEntry("request.timeout.ms", "30000").containsEntry("max.poll.records", "200");
        assertThat(c.clientSettings(KafkaServiceConfig.Client.ADMIN)).containsEntry("request.timeout.ms", "30000").doesNotContainKey("max.poll.records");
    }

    /** As in Confluent's images: _ is a dot, __ an underscore, ___ a dash. */
    @Test
    void passThroughVariablesUnescapeLikeConfluentsImages() throws Exception {
        Map<String, Object> values = ServiceConfigSource.load(null, java.util.List.of(), Map.of("DIGESTFLOW_KAFKA_SASL_JAAS_CONFIG", "x",
                "DIGESTFLOW_KAFKA_PRODUCER_MAX_REQUEST_SIZE", "5", "DIGESTFLOW_KAFKA_SOME__UNDERSCORED___DASHED_KEY", "y"));
        assertThat(values).containsEntry("kafka.sasl.jaas.config", "x").containsEntry("kafka.producer.max.request.size", "5")
                .containsEntry("kafka.some_underscored-dashed.key", "y");
    }
}
