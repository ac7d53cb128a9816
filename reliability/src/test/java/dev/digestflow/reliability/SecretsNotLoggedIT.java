package dev.digestflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.app.Pipeline;
import dev.digestflow.app.PipelineNames;
import dev.digestflow.sink.IndexSinkMain;
import dev.digestflow.sink.config.SinkConfig;
import dev.digestflow.sink.index.ElasticsearchClients;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;

/**
 * The three services run as operators run them (own JVMs, DIGESTFLOW_* variables) with every kind
 * of secret configured: Kafka SSL and SASL passwords, registry basic-auth credentials and the ES
 * password; logging turned up to DEBUG for digestflow and the ES client and INFO for Kafka (whose
 * config dumps print every client setting). A file goes all the way into ES, a misconfigured start
 * fails, and no log line of any of it contains a secret.
 */
@ExtendWith(TestStackExtension.class)
class SecretsNotLoggedIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final List<String> SECRETS = List.of("KAFKA-SSL-SECRET-1", "KAFKA-SASL-SECRET-2", "REGISTRY-SECRET-3", "ES-SECRET-4");

    @Test
    void noSecretReachesAnyLogLine(TestStack stack, TestNames names, @TempDir Path dir) throws Exception {
        PipelineNames pipeline = PipelineNames.prefixed(names.topic("secrets"));
        Map<String, Object> ingest = Pipeline.ingestSettings(stack.bootstrapServers(), stack.registryUrl(), pipeline, dir, 0);
        Map<String, Object> enrich = Pipeline.enrichSettings(stack.bootstrapServers(), stack.registryUrl(), pipeline, dir, 0);
        Map<String, Object> sink = Pipeline.sinkSettings(stack.bootstrapServers(), stack.registryUrl(), stack.elasticsearchUrl(), pipeline, 0);
        for (Map<String, Object> m : List.of(ingest, enrich, sink)) {
            // Passed through to every Kafka client (unused on this PLAINTEXT broker, but configured and logged by Kafka's config dump).
            m.put("kafka.ssl.key.password", "KAFKA-SSL-SECRET-1");
            m.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"KAFKA-SASL-SECRET-2\";");
            // Passed to the serde: the registry client sends them as basic auth on every call.
            m.put("kafka.basic.auth.credentials.source", "USER_INFO");
            m.put("kafka.basic.auth.user.info", "digestflow:REGISTRY-SECRET-3");
        }
        sink.put(SinkConfig.ES_USERNAME, "elastic");
        sink.put(SinkConfig.ES_PASSWORD, "ES-SECRET-4");

        Path logs = Path.of("target", "reliability", "logs", "secrets");
        PipelineProcesses services = new PipelineProcesses(ingest, enrich, sink, logs);
        Map<String, Object> broken = new java.util.HashMap<>(sink);
        broken.remove(SinkConfig.ES_USERNAME); // a password without a user: refused at start-up, by a message that must not quote it
        ServiceProcess misconfigured = new ServiceProcess("index-sink-misconfigured", IndexSinkMain.class, broken, "index-sink started", logs);
        for (ServiceProcess p : List.of(services.producer, services.streams, services.indexer, misconfigured)) {
            p.jvmOption("-Dlogback.configurationFile=secrets-logback.xml");
        }
        try (ElasticsearchTransport transport = ElasticsearchClients.transport(stack.elasticsearchUrl())) {
            services.startAll(DEADLINE);
            PipelineProcesses.dropSampleAndAwaitIndexed(dir, new ElasticsearchClient(transport), pipeline.alias(), DEADLINE);
            misconfigured.launch();
            await().atMost(DEADLINE).until(() -> !misconfigured.alive());
            assertThat(misconfigured.log()).contains("invalid configuration").contains(SinkConfig.ES_PASSWORD);
        } finally {
            services.close();
            misconfigured.close();
        }

        long lines = 0;
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log : files.toList()) {
                List<String> content = Files.readAllLines(log);
                lines += content.size();
                for (String secret : SECRETS) {
                    assertThat(content).as(log.getFileName() + " must not contain " + secret).noneMatch(l -> l.contains(secret));
                }
            }
        }
        assertThat(lines).as("the services did log (Kafka config dumps included)").isGreaterThan(200);
        try (Stream<Path> files = Files.list(logs)) {
            assertThat(files.map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    return "";
                }
            })).as("Kafka's config dump ran and masked the passwords").anyMatch(s -> s.contains("ssl.key.password = [hidden]"));
        }
    }

    /**
     * Registry credentials inside the URL ({@code basic.auth.credentials.source=URL}, as Confluent's
     * clients allow), with the registry down at start-up: every service says it waits for the registry,
     * then gives up and exits 1, naming the host and the setting, and no line carries the user-info.
     */
    @Test
    void credentialsInTheRegistryUrlStayOutOfTheLogWhileTheRegistryIsDown(TestStack stack, TestNames names, @TempDir Path dir) throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String secret = "REGISTRY-URL-SECRET-5";
        String url = "http://digestflow:" + secret + "@127.0.0.1:" + closedPort;
        PipelineNames pipeline = PipelineNames.prefixed(names.topic("secrets-url"));
        Map<String, Object> ingest = Pipeline.ingestSettings(stack.bootstrapServers(), url, pipeline, dir, 0);
        Map<String, Object> enrich = Pipeline.enrichSettings(stack.bootstrapServers(), url, pipeline, dir, 0);
        Map<String, Object> sink = Pipeline.sinkSettings(stack.bootstrapServers(), url, stack.elasticsearchUrl(), pipeline, 0);
        Path logs = Path.of("target", "reliability", "logs", "secrets-url");
        List<ServiceProcess> services = new java.util.ArrayList<>();
        for (var e : Map.of("ingest-producer", ingest, "enrich-streams", enrich, "index-sink", sink).entrySet()) {
            Map<String, Object> settings = new java.util.HashMap<>(e.getValue());
            settings.put("kafka.basic.auth.credentials.source", "URL");
            settings.put(SinkConfig.SCHEMA_REGISTRY_STARTUP_WAIT_MS, 6000L);
            Class<?> main = switch (e.getKey()) {
                case "ingest-producer" -> dev.digestflow.ingest.IngestProducerMain.class;
                case "enrich-streams" -> dev.digestflow.enrich.EnrichStreamsMain.class;
                default -> IndexSinkMain.class;
            };
            ServiceProcess p = new ServiceProcess(e.getKey() + "-registry-down", main, settings, "started", logs);
            p.jvmOption("-Dlogback.configurationFile=secrets-logback.xml");
            services.add(p);
        }
        try {
            for (ServiceProcess p : services) {
                p.launch();
            }
            for (ServiceProcess p : services) {
                await().atMost(DEADLINE).until(() -> !p.alive());
                String log = p.log();
                assertThat(log).as(p.name()).contains("127.0.0.1:" + closedPort).contains("is not reachable").contains("did not answer within 6 s")
                        .contains("schema.registry.url").doesNotContain(secret);
                assertThat(p.exitCode()).as(p.name() + " exit code").isEqualTo(1);
            }
        } finally {
            for (ServiceProcess p : services) {
                p.close();
            }
        }
    }
}
