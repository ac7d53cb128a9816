package dev.digestflow.enrich;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.config.ConfigException;

import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.enrich.taxonomy.TaxonomyException;
import dev.digestflow.schema.registry.RegistryReadiness;
import dev.digestflow.service.config.ServiceConfigSource;
import dev.digestflow.service.http.OpsHttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code enrich-streams}: the standalone service, configured by a properties file plus DIGESTFLOW_* variables. */
@Command(name = "enrich-streams", mixinStandardHelpOptions = true, description = "Deduplicates and tags digest items (Kafka Streams).")
public final class EnrichStreamsMain implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, description = "Properties file; DIGESTFLOW_<KEY> environment variables override it.")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "digestflow-service-logback.xml");
        }
        EnrichConfig config;
        Taxonomy taxonomy;
        try {
            Map<String, Object> values = ServiceConfigSource.load(configFile, EnrichConfig.CONFIG_DEF.names(), System.getenv());
            config = new EnrichConfig(values);
            String file = config.getString(EnrichConfig.TAXONOMY_FILE);
            taxonomy = file.isBlank() ? Taxonomy.defaults() : Taxonomy.load(Path.of(file));
        } catch (ConfigException | TaxonomyException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return 2;
        }
        if (!RegistryReadiness.awaitAtStartup(config.serdeConfig(), line -> org.slf4j.LoggerFactory.getLogger(EnrichStreamsMain.class).warn(line))) {
            return 1;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EnrichStreamsApp.ensureTopics(config, taxonomy);
        EnrichStreamsApp app = new EnrichStreamsApp(config, taxonomy, registry);
        OpsHttpServer http = new OpsHttpServer(config.getInt(EnrichConfig.HTTP_PORT), registry, app::health);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            http.close();
            stopped.countDown();
        }, "enrich-shutdown"));
        app.start();
        System.out.println("enrich-streams started; health and metrics on http://127.0.0.1:" + http.port());
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new EnrichStreamsMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
