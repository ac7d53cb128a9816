package dev.digestflow.app;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.enrich.EnrichStreamsApp;
import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.ingest.IngestService;
import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.ops.IngestMetrics;
import dev.digestflow.ingest.publish.ItemPublisher;
import dev.digestflow.schema.registry.RegistryReadiness;
import dev.digestflow.service.http.OpsHttpServer;
import dev.digestflow.sink.IndexSinkMain;
import dev.digestflow.sink.config.SinkConfig;
import dev.digestflow.sink.index.ElasticsearchClients;
import dev.digestflow.sink.write.IndexSink;
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

    private final IngestService ingest;
    private final EnrichStreamsApp enrich;
    private final IndexSink sink;
    private final ElasticsearchTransport esTransport;
    private final List<OpsHttpServer> http;
    private final Endpoints endpoints;

    private Pipeline(IngestService ingest, EnrichStreamsApp enrich, IndexSink sink, ElasticsearchTransport esTransport, List<OpsHttpServer> http,
            Endpoints endpoints) {
        this.ingest = ingest;
        this.enrich = enrich;
        this.sink = sink;
        this.esTransport = esTransport;
        this.http = http;
        this.endpoints = endpoints;
    }

    public static Map<String, Object> ingestSettings(String bootstrap, String registry, PipelineNames names, Path home, int port) {
        Map<String, Object> m = new HashMap<>();
        m.put(IngestConfig.BOOTSTRAP_SERVERS, bootstrap);
        m.put(IngestConfig.SCHEMA_REGISTRY_URL, registry);
        m.put(IngestConfig.INBOX_DIR, home.resolve("inbox").toString());
        m.put(IngestConfig.PROCESSED_DIR, home.resolve("processed").toString());
        m.put(IngestConfig.FAILED_DIR, home.resolve("failed").toString());
        m.put(IngestConfig.STATE_DIR, home.resolve("data").resolve("ingest-state").toString());
        m.put(IngestConfig.ITEMS_TOPIC, names.raw());
        m.put(IngestConfig.FILES_TOPIC, names.files());
        m.put(IngestConfig.HTTP_PORT, port);
        return m;
    }

    public static Map<String, Object> enrichSettings(String bootstrap, String registry, PipelineNames names, Path home, int port) {
        Map<String, Object> m = new HashMap<>();
        m.put(EnrichConfig.BOOTSTRAP_SERVERS, bootstrap);
        m.put(EnrichConfig.SCHEMA_REGISTRY_URL, registry);
        m.put(EnrichConfig.APPLICATION_ID, names.enrichAppId());
        m.put(EnrichConfig.RAW_TOPIC, names.raw());
        m.put(EnrichConfig.TAGGED_TOPIC, names.tagged());
        m.put(EnrichConfig.DLQ_TOPIC, names.dlq());
        m.put(EnrichConfig.STATE_DIR, home.resolve("data").resolve("enrich-state").toString());
        m.put(EnrichConfig.HTTP_PORT, port);
        m.put(EnrichConfig.TAG_TOPIC_PREFIX, names.tagTopicPrefix());
        return m;
    }

    public static Map<String, Object> sinkSettings(String bootstrap, String registry, String esUrl, PipelineNames names, int port) {
        Map<String, Object> m = new HashMap<>();
        m.put(SinkConfig.BOOTSTRAP_SERVERS, bootstrap);
        m.put(SinkConfig.SCHEMA_REGISTRY_URL, registry);
        m.put(SinkConfig.ES_URLS, esUrl);
        m.put(SinkConfig.TAGGED_TOPIC, names.tagged());
        m.put(SinkConfig.DLQ_TOPIC, names.dlq());
        m.put(SinkConfig.GROUP_ID, names.sinkGroup());
        m.put(SinkConfig.INDEX_ALIAS, names.alias());
        m.put(SinkConfig.INDEX_TEMPLATE, names.alias());
        m.put(SinkConfig.HTTP_PORT, port);
        return m;
    }

    /** Creates topics, template and alias, then starts enrich, the sink and finally the folder watcher. */
    public static Pipeline start(String bootstrap, String registry, String esUrl, PipelineNames names, Path home, Ports ports) throws Exception {
        IngestConfig ingestConfig = new IngestConfig(ingestSettings(bootstrap, registry, names, home, ports.ingest()));
        EnrichConfig enrichConfig = new EnrichConfig(enrichSettings(bootstrap, registry, names, home, ports.enrich()));
        SinkConfig sinkConfig = new SinkConfig(sinkSettings(bootstrap, registry, esUrl, names, ports.sink()));
        Taxonomy taxonomy = Taxonomy.defaults();

        RegistryReadiness.await(ingestConfig.serdeConfig(), RegistryReadiness.DEFAULT_TIMEOUT, org.slf4j.LoggerFactory.getLogger(Pipeline.class)::warn);
        ItemPublisher.ensureTopics(ingestConfig);
        // Also creates the DLQ topic, which the sink shares with enrich.
        EnrichStreamsApp.ensureTopics(enrichConfig, taxonomy);

        PrometheusMeterRegistry enrichMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EnrichStreamsApp enrich = new EnrichStreamsApp(enrichConfig, taxonomy, enrichMeters);
        OpsHttpServer enrichHttp = new OpsHttpServer(ports.enrich(), enrichMeters, enrich::health);
        enrich.start();

        ElasticsearchTransport transport = ElasticsearchClients.transport(sinkConfig);
        IndexSinkMain.prepareIndex(sinkConfig, new ElasticsearchClient(transport));
        PrometheusMeterRegistry sinkMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IndexSink sink = new IndexSink(sinkConfig, new ElasticsearchAsyncClient(transport), sinkMeters);
        OpsHttpServer sinkHttp = new OpsHttpServer(ports.sink(), sinkMeters, sink::health);
        sink.start();

        PrometheusMeterRegistry ingestMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IngestService ingest = new IngestService(ingestConfig, new IngestMetrics(ingestMeters), Clock.systemUTC());
        OpsHttpServer ingestHttp = new OpsHttpServer(ports.ingest(), ingestMeters, ingest::health);
        ingest.start();

        Endpoints endpoints = new Endpoints(bootstrap, registry, esUrl, ingestHttp.port(), enrichHttp.port(), sinkHttp.port());
        return new Pipeline(ingest, enrich, sink, transport, List.of(ingestHttp, enrichHttp, sinkHttp), endpoints);
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** Whether all three services report ready. */
    public boolean ready() {
        return ingest.healthy() && enrich.health().ready() && sink.health().ready();
    }

    /** Stops the watcher first (no new input), then enrich, then the sink (which drains to ES). */
    @Override
    public void close() throws Exception {
        try {
            ingest.close();
        } finally {
            try {
                enrich.close();
            } finally {
                sink.close();
                esTransport.close();
                http.forEach(OpsHttpServer::close);
            }
        }
    }
}
