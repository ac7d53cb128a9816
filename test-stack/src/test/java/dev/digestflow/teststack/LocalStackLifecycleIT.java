package dev.digestflow.teststack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.digestflow.localstack.LocalStack;
import dev.digestflow.localstack.LocalStackCli;
import dev.digestflow.localstack.LocalStackConfig;
import dev.digestflow.localstack.process.ChildJvm;
import dev.digestflow.localstack.process.Classpaths;
import dev.digestflow.localstack.process.ParentWatchingMain;
import dev.digestflow.schema.registry.RestSchemaRegistryClient;

/**
 * Start, stop, restart and failure behaviour of the local stack itself. Each test runs its own stack
 * on free ports and a fresh data directory (not the shared test stack), because it stops or breaks it.
 */
class LocalStackLifecycleIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Schema SCHEMA = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Kept\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");

    @Test
    void restartOnTheSameDataDirectoryKeepsTopicsOffsetsSchemaIdsAndDocuments(@TempDir Path dataDir) throws Exception {
        LocalStackConfig config = LocalStackConfig.builder(dataDir).freePorts().build();
        int schemaId;
        List<ChildJvm> firstProcesses;
        try (LocalStack stack = LocalStack.start(config)) {
            firstProcesses = stack.processes();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("kept.topic", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
                }
            }
            try (KafkaConsumer<String, String> consumer = consumer(stack)) {
                consumer.commitSync(Map.of(new TopicPartition("kept.topic", 0), new OffsetAndMetadata(3)));
            }
            schemaId = RestSchemaRegistryClient.forUrl(stack.registryUrl()).register("kept.topic-value", SCHEMA);
            HttpResponse<String> indexed = HTTP.send(HttpRequest.newBuilder(URI.create(stack.elasticsearchUrl() + "/kept/_doc/1?refresh=true"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"title\":\"kept across restarts\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(indexed.statusCode()).as(indexed.body()).isIn(200, 201);
        }
        assertThat(firstProcesses).as("no child survives a stop").noneMatch(ChildJvm::isAlive);
        for (ChildJvm child : firstProcesses) {
            assertThat(ProcessHandle.of(child.pid())).isEmpty();
        }

        try (LocalStack again = LocalStack.start(config)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, again.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept.topic", "_schemas");
            }
            try (KafkaConsumer<String, String> consumer = consumer(again)) {
                TopicPartition tp = new TopicPartition("kept.topic", 0);
                assertThat(consumer.committed(java.util.Set.of(tp), Duration.ofSeconds(30)).get(tp).offset()).isEqualTo(3);
                assertThat(consumer.endOffsets(List.of(tp)).get(tp)).isEqualTo(5);
            }
            assertThat(RestSchemaRegistryClient.forUrl(again.registryUrl()).getLatest("kept.topic-value").id()).isEqualTo(schemaId);
            HttpResponse<String> count = HTTP.send(HttpRequest.newBuilder(URI.create(again.elasticsearchUrl() + "/kept/_count")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(count.body()).contains("\"count\":1");
        }
    }

    private static KafkaConsumer<String, String> consumer(LocalStack stack) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "kept-group", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
    }

    @Test
    void aTakenPortFailsFastWithTheOptionToChange(@TempDir Path dataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            LocalStackConfig config = LocalStackConfig.builder(dataDir).freePorts().kafkaPort(taken.getLocalPort()).build();
            assertThatThrownBy(() -> LocalStack.start(config))
                    .hasMessage("port " + taken.getLocalPort() + " is already in use; use --kafka-port to choose another"
                            + " (or stop what is listening: ss -ltnp 'sport = :" + taken.getLocalPort() + "')");
        }
    }

    @Test
    void anUnwritableDataDirectoryFailsFast(@TempDir Path dir) throws Exception {
        Path aFile = Files.writeString(dir.resolve("not-a-directory"), "x");
        LocalStackConfig config = LocalStackConfig.builder(aFile.resolve("data")).freePorts().build();
        assertThatThrownBy(() -> LocalStack.start(config))
                .hasMessageContaining("data directory " + aFile.resolve("data") + " is not writable")
                .hasMessageContaining("--data-dir");
    }

    @Test
    void aChildThatExitsAtStartupFailsFastWithTheTailOfItsLog(@TempDir Path dataDir) throws Exception {
        // A meta.properties of another node makes the broker refuse to start.
        Path logDirs = Files.createDirectories(dataDir.resolve("kafka/log-dirs"));
        Files.writeString(logDirs.resolve("meta.properties"), "version=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\nnode.id=42\n"
                + "directory.id=BBBBBBBBBBBBBBBBBBBBBB\n");
        LocalStackConfig config = LocalStackConfig.builder(dataDir).freePorts().build();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> LocalStack.start(config))
                .hasMessageContaining("kafka exited with code")
                .hasMessageContaining("during start-up. Last lines of " + dataDir.resolve("logs/kafka.log"))
                .hasMessageContaining("Stored node id 42");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("fails fast, not at the start timeout")
                .isLessThan(LocalStackConfig.DEFAULT_START_TIMEOUT);
    }

    @Test
    void childrenDieWhenTheParentIsKilledWithSignalNine(@TempDir Path dataDir) throws Exception {
        RunningCli cli = RunningCli.start(dataDir);
        cli.process.destroyForcibly().waitFor();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(cli.childPids)
                .as("children of a parent killed with -9").noneMatch(LocalStackLifecycleIT::alive));
    }

    @Test
    void sigtermStopsEverythingInOrder(@TempDir Path dataDir) throws Exception {
        RunningCli cli = RunningCli.start(dataDir);
        cli.process.destroy(); // SIGTERM, as Ctrl-C or a service manager sends
        assertThat(cli.process.waitFor(60, TimeUnit.SECONDS)).as("CLI exits after SIGTERM").isTrue();
        String rest = Files.readString(cli.console);
        assertThat(rest).contains("stopping local stack...", "local stack stopped");
        // The stop waits for each child, so none is left by the time the CLI has exited.
        assertThat(cli.childPids).noneMatch(LocalStackLifecycleIT::alive);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * The local-stack CLI as a separate process, started and awaited up to its ready banner. Its
     * console goes to a file: Process.destroy() closes a pipe, which would lose the stop messages.
     */
    private record RunningCli(Process process, List<Long> childPids, Path console) {

        static RunningCli start(Path dataDir) throws Exception {
            LocalStackConfig ports = LocalStackConfig.builder(dataDir).freePorts().build();
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    Classpaths.of(ParentWatchingMain.class, "local-stack.classpath"), LocalStackCli.class.getName(),
                    "--data-dir", dataDir.resolve("data").toString(),
                    "--kafka-port", "" + ports.kafkaPort(), "--kafka-controller-port", "" + ports.kafkaControllerPort(),
                    "--registry-port", "" + ports.registryPort(), "--es-port", "" + ports.elasticsearchPort(),
                    "--es-transport-port", "" + ports.elasticsearchTransportPort());
            Path console = dataDir.resolve("console.txt");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile()).start();
            try {
                await().atMost(LocalStackConfig.DEFAULT_START_TIMEOUT).until(() -> !process.isAlive()
                        || Files.readString(console).contains("Ctrl-C stops everything"));
                String banner = Files.readString(console);
                List<Long> childPids = new ArrayList<>();
                Matcher m = Pattern.compile("pid (\\d+)").matcher(banner);
                while (m.find()) {
                    childPids.add(Long.parseLong(m.group(1)));
                }
                assertThat(process.isAlive()).as(banner).isTrue();
                assertThat(childPids).as(banner).hasSize(2);
                return new RunningCli(process, childPids, console);
            } catch (Throwable e) {
                process.destroyForcibly();
                throw e;
            }
        }
    }
}
