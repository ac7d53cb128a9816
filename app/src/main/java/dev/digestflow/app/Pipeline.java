package dev.digestflow.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.digestflow.enrich.EnrichStreamsMain;
import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.ingest.IngestProducerMain;
import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.service.config.KafkaServiceConfig;
import dev.digestflow.service.http.OpsHttpServer;
import dev.digestflow.service.runtime.ManagedService;
import dev.digestflow.service.runtime.RegistryReadiness;
import dev.digestflow.service.runtime.ServiceLauncher;
import dev.digestflow.sink.IndexSinkMain;
import dev.digestflow.sink.config.SinkConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The three services, in this JVM, wired to one Kafka, registry and Elasticsearch, with the folder
 * layout of a digestflow home ({@code inbox/ processed/ failed/ data/}). This is what {@code up}
 * runs and what the end-to-end test drives; each service keeps its own config class, metrics
 * registry and ops endpoint, exactly as when run standalone.
 */
public final class Pipeline implements AutoCloseable {

    /** Ops ports of the three services; 0 = any free port. */
    public record Ports(int ingest, int enrich, int sink) {
        public static Ports contract() {
            return new Ports(8091, 8092, 8093);
        }

        public static Ports any() {
            return new Ports(0, 0, 0);
        }
    }

    /** The three services, in the order they start; closed in the reverse order, the watcher first. */
    private final List<ManagedService> services;
    private final List<OpsHttpServer> http;
    private final Endpoints endpoints;
    private volatile String closing = "nothing yet";

    private Pipeline(List<ManagedService> services, List<OpsHttpServer> http, Endpoints endpoints) {
        this.services = services;
        this.http = http;
        this.endpoints = endpoints;
    }

    /** The keys every service shares (KafkaServiceConfig), as up sets them. */
    private static Map<String, Object> sharedSettings(String bootstrap, String registry, int port) {
        Map<String, Object> m = new HashMap<>();
        m.put(KafkaServiceConfig.BOOTSTRAP_SERVERS, bootstrap);
        m.put(KafkaServiceConfig.SCHEMA_REGISTRY_URL, registry);
        m.put(KafkaServiceConfig.HTTP_PORT, port);
        return m;
    }

    public static Map<String, Object> ingestSettings(String bootstrap, String registry, PipelineNames names, Path home, int port) {
        Map<String, Object> m = sharedSettings(bootstrap, registry, port);
        m.put(IngestConfig.INBOX_DIR, home.resolve("inbox").toString());
        m.put(IngestConfig.PROCESSED_DIR, home.resolve("processed").toString());
        m.put(IngestConfig.FAILED_DIR, home.resolve("failed").toString());
        m.put(IngestConfig.STATE_DIR, home.resolve("data").resolve("ingest-state").toString());
        m.put(IngestConfig.ITEMS_TOPIC, names.raw());
        m.put(IngestConfig.FILES_TOPIC, names.files());
        return m;
    }

    public static Map<String, Object> enrichSettings(String bootstrap, String registry, PipelineNames names, Path home, int port) {
        Map<String, Object> m = sharedSettings(bootstrap, registry, port);
        m.put(EnrichConfig.APPLICATION_ID, names.enrichAppId());
        m.put(EnrichConfig.RAW_TOPIC, names.raw());
        m.put(EnrichConfig.TAGGED_TOPIC, names.tagged());
        m.put(EnrichConfig.DLQ_TOPIC, names.dlq());
        m.put(EnrichConfig.STATE_DIR, home.resolve("data").resolve("enrich-state").toString());
        m.put(EnrichConfig.TAG_TOPIC_PREFIX, names.tagTopicPrefix());
        return m;
    }

    public static Map<String, Object> sinkSettings(String bootstrap, String registry, String esUrl, PipelineNames names, int port) {
        Map<String, Object> m = sharedSettings(bootstrap, registry, port);
        m.put(SinkConfig.ES_URLS, esUrl);
        m.put(SinkConfig.TAGGED_TOPIC, names.tagged());
        m.put(SinkConfig.DLQ_TOPIC, names.dlq());
        m.put(SinkConfig.GROUP_ID, names.sinkGroup());
        m.put(SinkConfig.INDEX_ALIAS, names.alias());
        m.put(SinkConfig.INDEX_TEMPLATE, names.alias());
        return m;
    }

    /**
     * Starts enrich, the sink and finally the folder watcher, each through the same definition its
     * standalone main uses (topics, template and alias included). When a step fails, what was
     * already started is closed before the exception propagates: nothing keeps running unowned.
     */
    /** What each service does while it stops, in start order (enrich, sink, ingest). */
    private static final String[] STOPPING = {
        "enrich-streams to commit its transaction, write its state checkpoints and leave its group",
        "index-sink to drain its records to Elasticsearch, commit and leave its group",
        "ingest-producer to finish the file in hand and release its claim",
    };

    public static Pipeline start(String bootstrap, String registry, String esUrl, PipelineNames names, Path home, Ports ports) throws Exception {
        return start(configs(bootstrap, registry, esUrl, names, home, ports, UpConfiguration.none()));
    }

    /** The three services' validated configurations, as {@code up} and {@code check} build them; a bad key or taxonomy throws ConfigException naming it. */
    public record Configs(IngestConfig ingest, EnrichConfig enrich, SinkConfig sink) {
    }

    public static Configs configs(String bootstrap, String registry, String esUrl, PipelineNames names, Path home, Ports ports, UpConfiguration user) {
        return new Configs(IngestProducerMain.definition().config().apply(UpConfiguration.over(ingestSettings(bootstrap, registry, names, home, ports.ingest()), user.ingest())),
                EnrichStreamsMain.definition().config().apply(UpConfiguration.over(enrichSettings(bootstrap, registry, names, home, ports.enrich()), user.enrich())),
                IndexSinkMain.definition().config().apply(UpConfiguration.over(sinkSettings(bootstrap, registry, esUrl, names, ports.sink()), user.sink())));
    }

    public static Pipeline start(Configs configs) throws Exception {
        IngestConfig ingestConfig = configs.ingest();
        EnrichConfig enrichConfig = configs.enrich();
        SinkConfig sinkConfig = configs.sink();
        RegistryReadiness.await(ingestConfig.serdeConfig(), ingestConfig.registryStartupWait(), org.slf4j.LoggerFactory.getLogger(Pipeline.class)::warn);

        List<ManagedService> services = new ArrayList<>();
        List<OpsHttpServer> http = new ArrayList<>();
        try {
            // Enrich first: it also creates the DLQ topic, which the sink shares.
            http.add(startService(EnrichStreamsMain.definition(), enrichConfig, enrichConfig.getInt(KafkaServiceConfig.HTTP_PORT), services));
            http.add(startService(IndexSinkMain.definition(), sinkConfig, sinkConfig.getInt(KafkaServiceConfig.HTTP_PORT), services));
            http.add(startService(IngestProducerMain.definition(), ingestConfig, ingestConfig.getInt(KafkaServiceConfig.HTTP_PORT), services));
        } catch (Exception | Error e) {
            closeAll(services, http, e, step -> { });
            throw e;
        }
        Endpoints endpoints = new Endpoints(enrichConfig.getString(EnrichConfig.BOOTSTRAP_SERVERS), enrichConfig.getString(EnrichConfig.SCHEMA_REGISTRY_URL),
                sinkConfig.getList(SinkConfig.ES_URLS).get(0), http.get(2).port(), http.get(0).port(), http.get(1).port());
        return new Pipeline(services, http, endpoints);
    }

    private static <C extends KafkaServiceConfig> OpsHttpServer startService(ServiceLauncher.Definition<C> definition, C config, int port,
            List<ManagedService> started) throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ManagedService service = definition.factory().create(config, meters);
        started.add(service);
        OpsHttpServer http = new OpsHttpServer(config.httpBindAddress(), port, meters, service::health);
        try {
            service.start();
        } catch (Exception | Error e) {
            http.close();
            throw e;
        }
        return http;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** Whether all three services report ready. */
    public boolean ready() {
        return services.stream().allMatch(service -> service.health().ready());
    }

    /** The first service's failure that stopped it for good, or null. */
    public Throwable failure() {
        return services.stream().map(ManagedService::failure).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** Stops the watcher first (no new input), then the sink (which drains to ES), then enrich. */
    @Override
    public void close() throws Exception {
        Exception first = closeAll(services, http, null, step -> closing = step);
        if (first != null) {
            throw first;
        }
    }

    /** While {@link #close()} runs: the service it is stopping now, and what that service does while it stops. */
    public String closing() {
        return closing;
    }

    private static Exception closeAll(List<ManagedService> services, List<OpsHttpServer> http, Throwable cause, java.util.function.Consumer<String> onStep) {
        Exception first = null;
        for (int i = services.size() - 1; i >= 0; i--) {
            onStep.accept(STOPPING[i] + "; its health: " + services.get(i).health().detail());
            try {
                services.get(i).close();
            } catch (Exception e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                } else if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        http.forEach(OpsHttpServer::close);
        return first;
    }
}
