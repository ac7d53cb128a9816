package dev.digestflow.sink;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.schema.registry.RegistryReadiness;
import dev.digestflow.service.config.ServiceConfigSource;
import dev.digestflow.service.http.OpsHttpServer;
import dev.digestflow.service.kafka.Topics;
import dev.digestflow.sink.config.SinkConfig;
import dev.digestflow.sink.index.ElasticsearchClients;
import dev.digestflow.sink.index.IndexSetup;
import dev.digestflow.sink.write.Backoff;
import dev.digestflow.sink.write.FailureClass;
import dev.digestflow.sink.write.IndexSink;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code index-sink}: the standalone service, configured by a properties file plus DIGESTFLOW_* variables. */
@Command(name = "index-sink", mixinStandardHelpOptions = true, description = "Indexes the tagged stream into Elasticsearch.")
public final class IndexSinkMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(IndexSinkMain.class);

    @Option(names = {"-c", "--config"}, description = "Properties file; DIGESTFLOW_<KEY> environment variables override it.")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        SinkConfig config;
        try {
            config = new SinkConfig(ServiceConfigSource.load(configFile, SinkConfig.CONFIG_DEF.names(), System.getenv()));
        } catch (ConfigException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return 2;
        }
        if (!RegistryReadiness.awaitAtStartup(config.serdeConfig(), LOG::warn)) {
            return 1;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ElasticsearchTransport transport = ElasticsearchClients.transport(config);
        Topics.ensure(config.getString(SinkConfig.BOOTSTRAP_SERVERS), config.kafkaPassThrough(), List.of(config.getString(SinkConfig.DLQ_TOPIC)),
                config.getInt(SinkConfig.TOPIC_PARTITIONS), config.getShort(SinkConfig.TOPIC_REPLICATION));
        String writeIndex = prepareIndex(config, new ElasticsearchClient(transport));
        IndexSink sink = new IndexSink(config, new ElasticsearchAsyncClient(transport), registry);
        OpsHttpServer http = new OpsHttpServer(config.getInt(SinkConfig.HTTP_PORT), registry, sink::health);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sink.close();
            http.close();
        }, "index-sink-shutdown"));
        sink.start();
        System.out.println("index-sink started: " + config.getString(SinkConfig.TAGGED_TOPIC) + " -> alias " + config.getString(SinkConfig.INDEX_ALIAS)
                + " (write index " + writeIndex + "); health and metrics on http://127.0.0.1:" + http.port());
        sink.awaitStopped(java.time.Duration.ofDays(36_500));
        transport.close();
        return sink.failure() == null ? 0 : 1;
    }

    /**
     * Template and alias, retried with backoff while ES is unreachable or overloaded (it may start
     * after us), up to {@code startup.timeout.ms}; anything else fails at once, with ES's answer.
     */
    public static String prepareIndex(SinkConfig config, ElasticsearchClient client) throws Exception {
        IndexSetup setup = new IndexSetup(client, config.getString(SinkConfig.INDEX_ALIAS), config.getString(SinkConfig.INDEX_TEMPLATE),
                config.getInt(SinkConfig.INDEX_SHARDS), config.getString(SinkConfig.INDEX_REPLICAS));
        Backoff backoff = new Backoff(config.duration(SinkConfig.RETRY_BACKOFF_INITIAL_MS), config.duration(SinkConfig.RETRY_BACKOFF_MAX_MS), new Random());
        long deadline = System.nanoTime() + config.duration(SinkConfig.STARTUP_TIMEOUT_MS).toNanos();
        for (int attempt = 0;; attempt++) {
            try {
                return setup.ensure();
            } catch (Exception e) {
                if (FailureClass.ofRequest(e) != FailureClass.RETRYABLE || System.nanoTime() > deadline) {
                    throw e;
                }
                long delay = backoff.delay(attempt).toMillis();
                LOG.warn("Elasticsearch at {} is not ready for the index template and alias ({}); retrying in {} ms",
                        config.getList(SinkConfig.ES_URLS), e.toString(), delay);
                Thread.sleep(delay);
            }
        }
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "digestflow-service-logback.xml");
        }
        int code = new CommandLine(new IndexSinkMain()).execute(args);
        System.exit(code);
    }
}
