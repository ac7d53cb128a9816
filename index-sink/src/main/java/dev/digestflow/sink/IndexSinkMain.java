package dev.digestflow.sink;

import java.util.List;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.service.config.RedactedUrls;
import dev.digestflow.service.runtime.ManagedService;
import dev.digestflow.service.runtime.ServiceLauncher;
import dev.digestflow.service.kafka.Topics;
import dev.digestflow.sink.config.SinkConfig;
import dev.digestflow.sink.index.ElasticsearchClients;
import dev.digestflow.sink.index.IndexSetup;
import dev.digestflow.schema.retry.Backoff;
import dev.digestflow.sink.write.FailureClass;
import dev.digestflow.sink.write.SinkService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** {@code index-sink}: the standalone service, run by {@link ServiceLauncher}. */
public final class IndexSinkMain {

    private IndexSinkMain() {
    }

    /** Not a static field: the class is loaded before main sets the log configuration, and a logger made then fixes logback's set-up for good. */
    private static Logger log() {
        return LoggerFactory.getLogger(IndexSinkMain.class);
    }

    /** The service as the launcher and {@code up} run it. */
    public static ServiceLauncher.Definition<SinkConfig> definition() {
        return new ServiceLauncher.Definition<>("index-sink", "Indexes the tagged stream into Elasticsearch.", SinkConfig.CONFIG_DEF, SinkConfig::new,
                IndexSinkMain::create);
    }

    public static void main(String[] args) {
        ServiceLauncher.main(IndexSinkMain::definition, args);
    }

    /** The DLQ topic, then the template and alias (waiting for ES), then the worker, which owns the ES transport from here on. */
    static ManagedService create(SinkConfig config, PrometheusMeterRegistry meters) throws Exception {
        Topics.ensure(config.getString(SinkConfig.BOOTSTRAP_SERVERS), config.clientSettings(SinkConfig.Client.ADMIN), List.of(config.getString(SinkConfig.DLQ_TOPIC)),
                config.getInt(SinkConfig.TOPIC_PARTITIONS), config.getShort(SinkConfig.TOPIC_REPLICATION));
        ElasticsearchTransport transport = ElasticsearchClients.transport(config);
        try {
            String writeIndex = prepareIndex(config, new ElasticsearchClient(transport));
            log().info("index-sink writes {} -> alias {} (write index {})", config.getString(SinkConfig.TAGGED_TOPIC), config.getString(SinkConfig.INDEX_ALIAS),
                    writeIndex);
            return new WithTransport(new SinkService(config, new ElasticsearchAsyncClient(transport), meters), transport);
        } catch (Exception | Error e) {
            transport.close();
            throw e;
        }
    }

    /** The worker and the transport it writes through, closed in that order. */
    public record WithTransport(SinkService sink, ElasticsearchTransport transport) implements ManagedService {
        @Override
        public void start() {
            sink.start();
        }

        @Override
        public dev.digestflow.service.http.OpsHttpServer.Health health() {
            return sink.health();
        }

        @Override
        public Throwable failure() {
            return sink.failure();
        }

        @Override
        public void close() throws Exception {
            try {
                sink.close();
            } finally {
                transport.close();
            }
        }
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
                log().warn("Elasticsearch at {} is not ready for the index template and alias ({}); retrying in {} ms",
                        RedactedUrls.of(String.join(",", config.getList(SinkConfig.ES_URLS))), RedactedUrls.of(e.toString()), delay);
                Thread.sleep(delay);
            }
        }
    }
}
