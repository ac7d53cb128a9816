package dev.digestflow.ingest;

import java.time.Clock;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.ops.IngestMetrics;
import dev.digestflow.ingest.publish.ItemPublisher;
import dev.digestflow.service.runtime.ManagedService;
import dev.digestflow.service.runtime.ServiceLauncher;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** {@code ingest-producer}: the standalone service, run by {@link ServiceLauncher}. */
public final class IngestProducerMain implements ServiceLauncher.Definition<IngestConfig> {

    public static void main(String[] args) {
        ServiceLauncher.main(new IngestProducerMain(), args);
    }

    @Override
    public String name() {
        return "ingest-producer";
    }

    @Override
    public String description() {
        return "Watches a folder for digest files and publishes their items to Kafka.";
    }

    @Override
    public ConfigDef configDef() {
        return IngestConfig.CONFIG_DEF;
    }

    @Override
    public IngestConfig config(Map<String, Object> values) {
        return new IngestConfig(values);
    }

    @Override
    public int httpPort(IngestConfig config) {
        return config.getInt(IngestConfig.HTTP_PORT);
    }

    @Override
    public ManagedService create(IngestConfig config, PrometheusMeterRegistry meters) throws Exception {
        ItemPublisher.ensureTopics(config);
        return new IngestService(config, new IngestMetrics(meters), Clock.systemUTC());
    }

    @Override
    public String startedLine(IngestConfig config, int httpPort) {
        return "ingest-producer watching " + config.inbox() + "; health and metrics on http://127.0.0.1:" + httpPort;
    }
}
