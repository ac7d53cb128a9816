package dev.digestflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.app.Pipeline;
import dev.digestflow.app.PipelineNames;
import dev.digestflow.ingest.IngestProducerMain;
import dev.digestflow.localstack.kafka.KafkaBroker;
import dev.digestflow.localstack.kafka.KafkaBroker.SaslListener;
import dev.digestflow.sink.index.ElasticsearchClients;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;

/**
 * Kafka security proven by a handshake, not by a config dump: a broker of its own with a
 * SASL_PLAINTEXT listener (PLAIN), and the three services, as their own JVMs, talking to Kafka only
 * through it. Right credentials: a file goes all the way into the index. A wrong password: the service
 * fails at start with a message that says authentication failed, and the password is in no log line.
 * The registry and Elasticsearch are the shared stack's.
 */
@ExtendWith(TestStackExtension.class)
class KafkaSaslIT {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final String USER = "digestflow";
    private static final String PASSWORD = "SASL-RIGHT-PW-1";
    private static final String WRONG = "SASL-WRONG-PW-2";

    @Test
    void theServicesAuthenticateOverSaslAndAWrongPasswordFailsAtStartWithoutShowingIt(TestStack stack, TestNames names, @TempDir Path dir) throws Exception {
        SaslListener listener = new SaslListener(freePort(), Map.of(USER, PASSWORD));
        try (KafkaBroker broker = new KafkaBroker(dir.resolve("kafka"), dir.resolve("kafka.log"), freePort(), freePort(), 384, listener)) {
            broker.start();
            broker.awaitReady(DEADLINE);
            String bootstrap = listener.bootstrapServers();

            // The listener really asks for credentials: without them, nothing answers.
            try (Admin anonymous = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000))) {
                assertThatThrownBy(() -> anonymous.listTopics().names().get(10, TimeUnit.SECONDS)).as("no credentials").isNotNull();
            }

            Path home = dir.resolve("home");
            PipelineNames pipeline = PipelineNames.prefixed(names.topic("sasl"));
            Map<String, Object> ingest = Pipeline.ingestSettings(bootstrap, stack.registryUrl(), pipeline, home, 0);
            Map<String, Object> enrich = Pipeline.enrichSettings(bootstrap, stack.registryUrl(), pipeline, home, 0);
            Map<String, Object> sink = Pipeline.sinkSettings(bootstrap, stack.registryUrl(), stack.elasticsearchUrl(), pipeline, 0);
            for (Map<String, Object> m : List.of(ingest, enrich, sink)) {
                SaslListener.clientSettings(USER, PASSWORD).forEach((k, v) -> m.put("kafka." + k, v));
            }
            Map<String, Object> wrong = Pipeline.ingestSettings(bootstrap, stack.registryUrl(), pipeline, dir.resolve("home-wrong"), 0);
            SaslListener.clientSettings(USER, WRONG).forEach((k, v) -> wrong.put("kafka." + k, v));

            Path logs = Path.of("target", "reliability", "logs", "sasl");
            PipelineProcesses services = new PipelineProcesses(ingest, enrich, sink, logs);
            ServiceProcess refused = new ServiceProcess("ingest-wrong-sasl-password", IngestProducerMain.class, wrong, "ingest-producer started", logs);
            try (ElasticsearchTransport transport = ElasticsearchClients.transport(stack.elasticsearchUrl())) {
                services.startAll(DEADLINE);
                PipelineProcesses.dropSampleAndAwaitIndexed(home, new ElasticsearchClient(transport), pipeline.alias(), DEADLINE);

                refused.launch();
                await().atMost(DEADLINE).until(() -> !refused.alive());
                assertThat(refused.exitCode()).as(refused.tail(30)).isEqualTo(1);
                assertThat(refused.log()).contains("Authentication failed").contains("Kafka refused the credentials").doesNotContain(WRONG);
                for (ServiceProcess p : services.all()) {
                    assertThat(p.log()).as(p.name()).doesNotContain(PASSWORD);
                }
            } finally {
                services.close();
                refused.close();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
