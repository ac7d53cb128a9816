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
}
