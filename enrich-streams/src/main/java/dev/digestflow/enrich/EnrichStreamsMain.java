package dev.digestflow.enrich;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.enrich.taxonomy.TaxonomyException;
import dev.digestflow.service.runtime.ServiceLauncher;

/** {@code enrich-streams}: the standalone service, run by {@link ServiceLauncher}. */
public final class EnrichStreamsMain {

    private EnrichStreamsMain() {
    }

    /** The service as the launcher and {@code up} run it: the taxonomy is checked with the config, the topics created, then Streams. */
    public static ServiceLauncher.Definition<EnrichConfig> definition() {
        return new ServiceLauncher.Definition<>("enrich-streams", "Deduplicates and tags digest items (Kafka Streams).", EnrichConfig.CONFIG_DEF,
                EnrichStreamsMain::config, (config, meters) -> {
                    Taxonomy taxonomy = taxonomy(config);
                    EnrichService.ensureTopics(config, taxonomy);
                    return new EnrichService(config, taxonomy, meters);
                });
    }

    /** The config, with the taxonomy loaded once to check it, so that a bad one exits 2 like a bad key. */
    static EnrichConfig config(Map<String, Object> values) {
        EnrichConfig config = new EnrichConfig(values);
        taxonomy(config);
        return config;
    }

    static Taxonomy taxonomy(EnrichConfig config) {
        String file = config.getString(EnrichConfig.TAXONOMY_FILE);
        try {
            return file.isBlank() ? Taxonomy.defaults() : Taxonomy.load(Path.of(file));
        } catch (TaxonomyException | IOException e) {
            throw new ConfigException(EnrichConfig.TAXONOMY_FILE, file, e.getMessage());
        }
    }

    public static void main(String[] args) {
        ServiceLauncher.main(EnrichStreamsMain::definition, args);
    }
}
