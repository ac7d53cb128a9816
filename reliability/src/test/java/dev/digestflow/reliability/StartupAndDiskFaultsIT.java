package dev.digestflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.digestflow.app.Pipeline;
import dev.digestflow.app.PipelineNames;
import dev.digestflow.ingest.IngestProducerMain;
import dev.digestflow.ingest.IngestService;
import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.inbox.InstanceLock;
import dev.digestflow.ingest.ops.IngestMetrics;
import dev.digestflow.localstack.registry.RegistryServer;
import dev.digestflow.localstack.registry.SchemaStore;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Faults around the edges of the pipeline: a registry that is not up yet, a processed/ folder that cannot take files. */
@ExtendWith(TestStackExtension.class)
class StartupAndDiskFaultsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String SAMPLE = "/samples/000_545bdede27ca3e01.txt";

    @Test
    void aServiceStartedBeforeTheRegistrySaysSoRetriesWithBackoffAndStartsWhenItAppears(TestStack stack, TestNames names, @TempDir Path dir)
            throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        PipelineNames pipeline = PipelineNames.prefixed(names.topic("registry-down"));
        Map<String, Object> settings = Pipeline.ingestSettings(stack.bootstrapServers(), url, pipeline, dir, 0);
        settings.put(IngestConfig.POLL_INTERVAL_MS, 200L);
        ServiceProcess ingest = new ServiceProcess("ingest-producer", IngestProducerMain.class, settings, "ingest-producer started",
                Path.of("target", "reliability", "logs", "registry-down"));
        try {
            ingest.launch();
            await().atMost(DEADLINE).until(() -> occurrences(ingest.log(), "is not reachable") >= 3);
            assertThat(ingest.alive()).as("waiting, not crashing").isTrue();
            String log = ingest.log();
            assertThat(log).contains("schema registry at " + url + " is not reachable (").contains("start-up waits: attempt 3, next try in")
                    .contains("giving up after 300 s").doesNotContain("ingest-producer started");
            try (SchemaStore store = new SchemaStore(stack.bootstrapServers(), SchemaStore.DEFAULT_TOPIC);
                    RegistryServer registry = new RegistryServer(store, port)) {
                registry.start();
                ingest.awaitLog("ingest-producer started", DEADLINE);
                assertThat(ingest.log()).contains("schema registry at " + url + " answers after");
                Files.createDirectories(dir.resolve("inbox"));
                Files.write(dir.resolve("inbox").resolve("sample.txt"), sample());
                await().atMost(DEADLINE).until(() -> files(dir.resolve("processed")) == 1);
            }
        } finally {
            ingest.close();
        }
    }

    @Test
    void whenProcessedCannotTakeTheFileItStaysInTheInboxWithAClearErrorAndGoesThroughOnceFixed(TestStack stack, TestNames names, @TempDir Path dir)
            throws Exception {
        // Root ignores read-only modes, so once the service runs, a plain file where processed/ must be stands in for a
        // full or read-only disk: the move fails with an I/O error, as it does on ENOSPC or EROFS.
        Path blocker = dir.resolve("disk");
        PipelineNames pipeline = PipelineNames.prefixed(names.topic("processed-broken"));
        Map<String, Object> settings = Pipeline.ingestSettings(stack.bootstrapServers(), stack.registryUrl(), pipeline, dir, 0);
        settings.put(IngestConfig.PROCESSED_DIR, blocker.resolve("processed").toString());
        settings.put(IngestConfig.POLL_INTERVAL_MS, 100L);
        settings.put(IngestConfig.RETRY_BACKOFF_MS, 200L);
        settings.put(IngestConfig.RETRY_BACKOFF_MAX_MS, 1000L);
        IngestConfig config = new IngestConfig(settings);
        dev.digestflow.ingest.publish.ItemPublisher.ensureTopics(config);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(IngestService.class);
        logger.addAppender(logs);
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        try (IngestService service = new IngestService(config, new IngestMetrics(new SimpleMeterRegistry()), Clock.systemUTC())) {
            service.start();
            deleteTree(blocker);
            Files.writeString(blocker, "not a folder");
            Files.write(inbox.resolve("sample.txt"), sample());
            await().atMost(DEADLINE).until(() -> logs.list.stream().filter(e -> e.getFormattedMessage().contains("cannot move it into")).count() >= 2);
            String message = logs.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("cannot move it into")).findFirst()
                    .orElseThrow();
            assertThat(message).contains("sample.txt stays in the inbox").contains(blocker.resolve("processed").toString())
                    .contains("check free space and permissions there").contains("is retried in");
            assertThat(files(inbox)).as("the file is still in the inbox (claimed)").isEqualTo(1);
            assertThat(service.healthy()).isFalse();

            // Fixed: the folder can be created now.
            Files.delete(blocker);
            Files.createDirectories(blocker);
            await().atMost(DEADLINE).until(() -> files(blocker.resolve("processed")) == 1);
            assertThat(files(inbox)).isZero();
            await().atMost(DEADLINE).until(service::healthy);
        } finally {
            logger.detachAppender(logs);
        }
    }

    private static void deleteTree(Path p) throws Exception {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(x);
                }
            }
        }
    }

    private static byte[] sample() throws Exception {
        try (var in = StartupAndDiskFaultsIT.class.getResourceAsStream(SAMPLE)) {
            return in.readAllBytes();
        }
    }

    /** Digest files below a folder; the ingest instance's lock file (inbox/.claimed/<id>.lock) is not one. */
    private static long files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(InstanceLock.SUFFIX)).count();
        }
    }

    private static int occurrences(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
