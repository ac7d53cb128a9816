package dev.digestflow.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.digestflow.localstack.elasticsearch.ElasticsearchNode;
import dev.digestflow.localstack.kafka.KafkaBroker;
import dev.digestflow.localstack.process.ChildJvm;
import dev.digestflow.localstack.registry.RegistryServer;
import dev.digestflow.localstack.registry.SchemaStore;

/**
 * The one-machine stack: a Kafka broker and an Elasticsearch node in child JVMs, the schema registry
 * in this JVM (stored in Kafka). Everything lives under one data directory, so a restart on the same
 * directory keeps topics, offsets, schema ids and documents.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final LocalStackConfig config;
    private final KafkaBroker kafka;
    private final ElasticsearchNode elasticsearch;
    private SchemaStore schemaStore;
    private RegistryServer registry;
    private final List<String> readiness = new ArrayList<>();
    private long readyMillis;

    private LocalStack(LocalStackConfig config) {
        this.config = config;
        this.kafka = new KafkaBroker(config.kafkaDir(), config.logDir().resolve("kafka.log"), config.kafkaPort(),
                config.kafkaControllerPort(), config.kafkaHeapMb());
        this.elasticsearch = new ElasticsearchNode(config.elasticsearchDir(), config.logDir().resolve("elasticsearch.log"),
                config.elasticsearchPort(), config.elasticsearchTransportPort(), config.elasticsearchHeapMb());
    }

    /**
     * Starts every component and returns once all answer for real. Fails fast, stopping whatever had
     * started, when a port is taken, the data directory is not writable, or a child exits early.
     */
    public static LocalStack start(LocalStackConfig config) {
        config.validate();
        checkPortsFree(config);
        checkWritable(config.dataDir());
        LocalStack stack = new LocalStack(config);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException | IOException e) {
            stack.close();
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
        }
    }

    private void startAll() throws IOException {
        long t0 = System.nanoTime();
        // Both children boot in parallel: they are independent and each takes a few seconds.
        kafka.start();
        elasticsearch.start();
        kafka.awaitReady(config.startTimeout());
        note("kafka", kafka.bootstrapServers(), kafka.process(), t0);
        schemaStore = new SchemaStore(kafka.bootstrapServers(), SchemaStore.DEFAULT_TOPIC);
        registry = new RegistryServer(schemaStore, config.registryPort());
        registry.start();
        awaitRegistry();
        note("schema registry", registry.url(), null, t0);
        elasticsearch.awaitReady(config.startTimeout());
        note("elasticsearch", elasticsearch.url(), elasticsearch.process(), t0);
        readyMillis = (System.nanoTime() - t0) / 1_000_000;
        LOG.info("local stack ready in {} ms", readyMillis);
    }

    private void awaitRegistry() {
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/subjects"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("schema registry answered " + response.statusCode() + " to GET /subjects: " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("schema registry does not answer GET /subjects: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void note(String name, String address, ChildJvm process, long t0) {
        readiness.add(String.format(Locale.ROOT, "  %-16s %-28s %-16s ready after %5.1f s%s", name, address,
                process == null ? "(in-process)" : "pid " + process.pid(), (System.nanoTime() - t0) / 1e9,
                process == null ? "" : "   log: " + process.logFile()));
    }

    /** A short, human readiness summary for the console. */
    public String summary() {
        return String.format(Locale.ROOT, "digestflow local stack ready in %.1f s (data: %s)%n%s", readyMillis / 1000.0,
                config.dataDir(), String.join(System.lineSeparator(), readiness));
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    public String elasticsearchUrl() {
        return elasticsearch.url();
    }

    public LocalStackConfig config() {
        return config;
    }

    public long readyMillis() {
        return readyMillis;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public ElasticsearchNode elasticsearch() {
        return elasticsearch;
    }

    /** The child processes, for tests that check none survives a stop and for fault injection. */
    public List<ChildJvm> processes() {
        return List.of(kafka.process(), elasticsearch.process());
    }

    /** Stops in dependency order: the registry (uses Kafka), Elasticsearch, then Kafka. */
    @Override
    public void close() {
        close(step -> { });
    }

    /** The same, telling {@code onStep} what it stops next (for a CLI asked "what are you waiting for?"). */
    public void close(java.util.function.Consumer<String> onStep) {
        onStep.accept("the schema registry");
        if (registry != null) {
            registry.close();
        }
        if (schemaStore != null) {
            schemaStore.close();
        }
        onStep.accept("Elasticsearch" + pid(elasticsearch.process()) + " to flush and stop");
        elasticsearch.close();
        onStep.accept("Kafka" + pid(kafka.process()) + " to write its logs and stop");
        kafka.close();
    }

    private static String pid(ChildJvm process) {
        return process == null || process.pid() < 0 ? "" : " (pid " + process.pid() + ")";
    }

    private static void checkPortsFree(LocalStackConfig config) {
        config.portsByOption().forEach((option, port) -> {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + " is already in use; use " + option
                        + " to choose another (or stop what is listening: ss -ltnp 'sport = :" + port + "')");
            }
        });
    }

    private static void checkWritable(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path probe = Files.createTempFile(dataDir, ".write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalStateException("data directory " + dataDir + " is not writable (" + e
                    + "); choose another with --data-dir or fix its permissions");
        }
    }
}
