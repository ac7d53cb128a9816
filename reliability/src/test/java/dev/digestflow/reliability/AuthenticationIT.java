package dev.digestflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.app.Pipeline;
import dev.digestflow.app.PipelineNames;
import dev.digestflow.ingest.IngestProducerMain;
import dev.digestflow.localstack.registry.RegistryServer;
import dev.digestflow.localstack.registry.SchemaStore;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroDeserializer;
import dev.digestflow.service.kafka.TopicSnapshot;
import dev.digestflow.sink.IndexSinkMain;
import dev.digestflow.sink.config.SinkConfig;
import dev.digestflow.sink.index.ElasticsearchClients;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;

/**
 * Basic auth, end to end, with the three services as their own JVMs: a schema registry that
 * requires credentials (the project's registry in its basic-auth mode, on the stack's _schemas
 * topic) and an Elasticsearch behind a basic-auth gate (the local node runs without X-Pack
 * security, so a gate in front of it checks the credentials and forwards every request to the
 * real node). Right credentials: a file goes all the way into the index. Wrong ones: the service
 * refuses to start and says which credentials were refused.
 */
@ExtendWith(TestStackExtension.class)
class AuthenticationIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String REGISTRY_USER = "digestflow:registry-pw";
    private static final String ES_PASSWORD = "es-pw";

    @Test
    void rightCredentialsGoThroughAndWrongOnesAreRefusedWithAClearMessage(TestStack stack, TestNames names, @TempDir Path dir) throws Exception {
        int registryPort = freePort();
        int gatePort = freePort();
        String registryUrl = "http://127.0.0.1:" + registryPort;
        PipelineNames pipeline = PipelineNames.prefixed(names.topic("auth"));
        Map<String, Object> ingest = Pipeline.ingestSettings(stack.bootstrapServers(), registryUrl, pipeline, dir, 0);
        Map<String, Object> enrich = Pipeline.enrichSettings(stack.bootstrapServers(), registryUrl, pipeline, dir, 0);
        Map<String, Object> sink = Pipeline.sinkSettings(stack.bootstrapServers(), registryUrl, "http://127.0.0.1:" + gatePort, pipeline, 0);
        for (Map<String, Object> m : List.of(ingest, enrich, sink)) {
            m.put("kafka." + AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
            m.put("kafka." + AvroSerdeConfig.BASIC_AUTH_USER_INFO, REGISTRY_USER);
        }
        sink.put(SinkConfig.ES_USERNAME, "elastic");
        sink.put(SinkConfig.ES_PASSWORD, ES_PASSWORD);
        Map<String, Object> wrongRegistry = new java.util.HashMap<>(ingest);
        wrongRegistry.put("kafka." + AvroSerdeConfig.BASIC_AUTH_USER_INFO, "digestflow:WRONG-REG-PW-8");
        Map<String, Object> wrongEs = new java.util.HashMap<>(sink);
        wrongEs.put(SinkConfig.ES_PASSWORD, "WRONG-ES-PW-9");

        Path logs = Path.of("target", "reliability", "logs", "auth");
        PipelineProcesses services = new PipelineProcesses(ingest, enrich, sink, logs);
        ServiceProcess refusedByRegistry = new ServiceProcess("ingest-wrong-registry-password", IngestProducerMain.class, wrongRegistry, "watching", logs);
        ServiceProcess refusedByEs = new ServiceProcess("sink-wrong-es-password", IndexSinkMain.class, wrongEs, "index-sink started", logs);
        AtomicInteger gateRefusals = new AtomicInteger();
        try (SchemaStore store = new SchemaStore(stack.bootstrapServers(), SchemaStore.DEFAULT_TOPIC);
                RegistryServer registry = new RegistryServer(store, registryPort, REGISTRY_USER);
                EsGate gate = new EsGate(gatePort, stack.elasticsearchUrl(), "elastic:" + ES_PASSWORD, gateRefusals);
                ElasticsearchTransport transport = ElasticsearchClients.transport(stack.elasticsearchUrl())) {
            registry.start();
            services.startAll(DEADLINE);
            PipelineProcesses.dropSampleAndAwaitIndexed(dir, new ElasticsearchClient(transport), pipeline.alias(), DEADLINE);
            assertThat(readRaw(stack, pipeline.raw(), registryUrl, REGISTRY_USER)).as("readable with the credentials").hasSize(10);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> readRaw(stack, pipeline.raw(), registryUrl, null))
                    .as("not without them").isInstanceOf(SerializationException.class).hasMessageContaining("401");

            refusedByRegistry.launch();
            await().atMost(DEADLINE).until(() -> !refusedByRegistry.alive());
            assertThat(refusedByRegistry.log()).contains("schema registry at " + registryUrl + " refused the credentials (HTTP 401)")
                    .contains("DIGESTFLOW_KAFKA_BASIC_AUTH_USER_INFO").doesNotContain("WRONG-REG-PW-8");

            int before = gateRefusals.get();
            refusedByEs.launch();
            await().atMost(DEADLINE).until(() -> !refusedByEs.alive());
            assertThat(gateRefusals.get()).isGreaterThan(before);
            assertThat(refusedByEs.log()).contains("security_exception").contains("unable to authenticate").doesNotContain("WRONG-ES-PW-9");
        } finally {
            services.close();
            refusedByRegistry.close();
            refusedByEs.close();
        }
    }

    private static List<DigestItem> readRaw(TestStack stack, String topic, String registryUrl, String userInfo) {
        Map<String, Object> serde = new java.util.HashMap<>(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl, AvroSerdeConfig.MAX_RETRIES, 0));
        if (userInfo != null) {
            serde.put(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
            serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, userInfo);
        }
        try (ConfluentAvroDeserializer<DigestItem> values = new ConfluentAvroDeserializer<>(DigestItem.class);
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            values.configure(serde, false);
            return TopicSnapshot.readAll(consumer, topic, Duration.ofSeconds(30)).stream().map(r -> values.deserialize(topic, r.value())).toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Checks HTTP basic auth the way ES's security layer answers it, then forwards the request to the real node unchanged. */
    private static final class EsGate implements AutoCloseable {
        private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding", "authorization", "expect",
                "upgrade", "keep-alive");
        private final HttpServer server;
        private final HttpClient http = HttpClient.newHttpClient();
        private final String target;
        private final String expected;
        private final AtomicInteger refusals;

        EsGate(int port, String target, String userInfo, AtomicInteger refusals) throws IOException {
            this.target = target;
            this.expected = "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
            this.refusals = refusals;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
            server.createContext("/", this::handle);
            server.start();
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    refusals.incrementAndGet();
                    byte[] body = ("{\"error\":{\"type\":\"security_exception\",\"reason\":\"unable to authenticate user [elastic] for REST request ["
                            + ex.getRequestURI().getPath() + "]\"},\"status\":401}").getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"security\", charset=\"UTF-8\"");
                    ex.getResponseHeaders().add("Content-Type", "application/json");
                    ex.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
                    ex.sendResponseHeaders(401, body.length);
                    ex.getResponseBody().write(body);
                    return;
                }
                byte[] requestBody = ex.getRequestBody().readAllBytes();
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()))
                        .method(ex.getRequestMethod(), requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(requestBody));
                ex.getRequestHeaders().forEach((k, vs) -> {
                    if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                        vs.forEach(v -> forward.header(k, v));
                    }
                });
                HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                response.headers().map().forEach((k, vs) -> {
                    if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.startsWith(":")) {
                        vs.forEach(v -> ex.getResponseHeaders().add(k, v));
                    }
                });
                byte[] body = response.body();
                boolean empty = body.length == 0 || ex.getRequestMethod().equals("HEAD");
                ex.sendResponseHeaders(response.statusCode(), empty ? -1 : body.length);
                if (!empty) {
                    ex.getResponseBody().write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
