package dev.digestflow.ingest;

import java.time.Clock;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.ops.IngestMetrics;
import dev.digestflow.ingest.publish.ItemPublisher;
import dev.digestflow.service.runtime.ServiceLauncher;

/** {@code ingest-producer}: the standalone service, run by {@link ServiceLauncher}. */
public final class IngestProducerMain {

    private IngestProducerMain() {
    }

    /** The service as the launcher and {@code up} run it: the topics are created, then the watcher. */
    public static ServiceLauncher.Definition<IngestConfig> definition() {
        return new ServiceLauncher.Definition<>("ingest-producer", "Watches a folder for digest files and publishes their items to Kafka.",
                IngestConfig.CONFIG_DEF, IngestConfig::new, (config, meters) -> {
                    config.legacyStateDirWarning(java.nio.file.Path.of("").toAbsolutePath()).ifPresent(w -> org.slf4j.LoggerFactory.getLogger(IngestProducerMain.class).warn(w));
                    ItemPublisher.ensureTopics(config);
                    return new IngestService(config, new IngestMetrics(meters), Clock.systemUTC());
                });
    }

    public static void main(String[] args) {
        ServiceLauncher.main(IngestProducerMain::definition, args);
    }
}
