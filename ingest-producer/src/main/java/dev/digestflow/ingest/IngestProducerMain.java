package dev.digestflow.ingest;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.config.ConfigException;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.schema.registry.RegistryReadiness;
import dev.digestflow.service.config.ServiceConfigSource;
import dev.digestflow.ingest.ops.IngestMetrics;
import dev.digestflow.service.http.OpsHttpServer;
import dev.digestflow.ingest.publish.ItemPublisher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ingest-producer}: the standalone service, configured by a properties file plus DIGESTFLOW_* variables. */
@Command(name = "ingest-producer", mixinStandardHelpOptions = true,
        description = "Watches a folder for digest files and publishes their items to Kafka.")
public final class IngestProducerMain implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, description = "Properties file; DIGESTFLOW_<KEY> environment variables override it.")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "digestflow-service-logback.xml");
        }
        IngestConfig config;
        try {
            Map<String, Object> values = ServiceConfigSource.load(configFile, IngestConfig.CONFIG_DEF.names(), System.getenv());
            config = new IngestConfig(values);
        } catch (ConfigException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return 2;
        }
        if (!RegistryReadiness.awaitAtStartup(config.serdeConfig(), line -> org.slf4j.LoggerFactory.getLogger(IngestProducerMain.class).warn(line))) {
            return 1;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ItemPublisher.ensureTopics(config);
        IngestService service = new IngestService(config, new IngestMetrics(registry), Clock.systemUTC());
        OpsHttpServer http = new OpsHttpServer(config.getInt(IngestConfig.HTTP_PORT), registry, service::health);
        service.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("error while stopping: " + e);
            }
            http.close();
            stopped.countDown();
        }, "ingest-shutdown"));
        System.out.println("ingest-producer watching " + config.inbox() + "; health and metrics on http://127.0.0.1:" + http.port());
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new IngestProducerMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
