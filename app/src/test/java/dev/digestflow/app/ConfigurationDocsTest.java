package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.service.config.ConfigDocs;
import dev.digestflow.sink.config.SinkConfig;

/**
 * The README's configuration tables are the services' ConfigDefs, generated. When a key changes, this
 * fails; regenerate with {@code mvn -pl app test -Dtest=ConfigurationDocsTest -Ddigestflow.updateReadme=true}
 * (after {@code mvn install -DskipTests}).
 */
class ConfigurationDocsTest {

    static final Map<String, ConfigDef> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("ingest-producer", IngestConfig.CONFIG_DEF);
        SERVICES.put("enrich-streams", EnrichConfig.CONFIG_DEF);
        SERVICES.put("index-sink", SinkConfig.CONFIG_DEF);
        SERVICES.put("serde", ConfigDocs.asPassThrough(dev.digestflow.schema.serde.AvroSerdeConfig.CONFIG_DEF,
                java.util.Set.of(dev.digestflow.schema.serde.AvroSerdeConfig.SCHEMA_REGISTRY_URL)));
    }

    @Test
    void theReadmeTablesAreTheConfigDefs() throws Exception {
        Path readme = Path.of("..", "README.md");
        String current = Files.readString(readme, StandardCharsets.UTF_8);
        String expected = ConfigDocs.withTables(current, SERVICES);
        if (Boolean.getBoolean("digestflow.updateReadme")) {
            Files.writeString(readme, expected, StandardCharsets.UTF_8);
            return;
        }
        assertThat(current).as("README.md's configuration tables differ from the ConfigDefs; regenerate them with "
                + "mvn -pl app test -Dtest=ConfigurationDocsTest -Ddigestflow.updateReadme=true").isEqualTo(expected);
    }

    @Test
    void everyKeyHasADocAndSharedKeysAreDefinedOnce() {
        SERVICES.forEach((service, def) -> def.configKeys().values().forEach(k -> assertThat(k.documentation).as(service + " " + k.name).isNotBlank()));
        for (String shared : new String[] {"bootstrap.servers", "schema.registry.url", "topic.partitions", "http.port", "http.bind.address"}) {
            SERVICES.forEach((service, def) -> {
                if (!service.equals("serde")) {
                    assertThat(def.configKeys().get(shared).group).as(service + " " + shared).isNotNull();
                }
            });
        }
    }
}
