package dev.digestflow.enrich;

import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.enrich.taxonomy.TaxonomyException;
import dev.digestflow.service.runtime.ManagedService;
import dev.digestflow.service.runtime.ServiceLauncher;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** {@code enrich-streams}: the standalone service, run by {@link ServiceLauncher}. */
public final class EnrichStreamsMain implements ServiceLauncher.Definition<EnrichConfig> {

    public static void main(String[] args) {
        ServiceLauncher.main(new EnrichStreamsMain(), args);
    }

    @Override
    public String name() {
        return "enrich-streams";
    }

    @Override
    public String description() {
        return "Deduplicates and tags digest items (Kafka Streams).";
    }

    @Override
    public ConfigDef configDef() {
        return EnrichConfig.CONFIG_DEF;
    }

    /** The config, with the taxonomy file loaded and checked here, so that a bad one exits 2 like a bad key. */
    @Override
    public EnrichConfig config(Map<String, Object> values) {
        EnrichConfig config = new EnrichConfig(values);
        taxonomy(config);
        return config;
    }

    static Taxonomy taxonomy(EnrichConfig config) {
        String file = config.getString(EnrichConfig.TAXONOMY_FILE);
        try {
            return file.isBlank() ? Taxonomy.defaults() : Taxonomy.load(Path.of(file));
        } catch (TaxonomyException | java.io.IOException e) {
            throw new ConfigException(EnrichConfig.TAXONOMY_FILE, file, e.getMessage());
        }
    }

    @Override
    public int httpPort(EnrichConfig config) {
        return config.getInt(EnrichConfig.HTTP_PORT);
    }

    @Override
    public ManagedService create(EnrichConfig config, PrometheusMeterRegistry meters) throws Exception {
        Taxonomy taxonomy = taxonomy(config);
        EnrichService.ensureTopics(config, taxonomy);
        return new EnrichService(config, taxonomy, meters);
    }

    @Override
    public String startedLine(EnrichConfig config, int httpPort) {
        return "enrich-streams started; health and metrics on http://127.0.0.1:" + httpPort;
    }
}
