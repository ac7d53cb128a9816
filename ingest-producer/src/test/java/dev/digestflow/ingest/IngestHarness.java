package dev.digestflow.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.ops.IngestMetrics;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.service.kafka.TopicSnapshot;
import dev.digestflow.schema.serde.ConfluentAvroDeserializer;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Folders, config and Kafka reading for ingest integration tests; one harness per test. */
final class IngestHarness {

    final Path home;
    final Path inbox;
    final Path processed;
    final Path failed;
    final String itemsTopic;
    final String filesTopic;
    final TestStack stack;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    IngestHarness(TestStack stack, TestNames names, Path home, String testName) throws IOException {
        this.stack = stack;
        this.home = home;
        this.inbox = Files.createDirectories(home.resolve("inbox"));
        this.processed = home.resolve("processed");
        this.failed = home.resolve("failed");
        this.itemsTopic = names.topic(testName + ".digest.items.raw");
        this.filesTopic = names.topic(testName + ".digest.files");
    }

    Map<String, Object> settings(String instance) {
        Map<String, Object> m = new HashMap<>();
        m.put(IngestConfig.INBOX_DIR, inbox.toString());
        m.put(IngestConfig.PROCESSED_DIR, processed.toString());
        m.put(IngestConfig.FAILED_DIR, failed.toString());
        m.put(IngestConfig.STATE_DIR, home.resolve("state-" + instance).toString());
        m.put(IngestConfig.INSTANCE_ID, instance);
        m.put(IngestConfig.QUIET_PERIOD_MS, 300L);
        m.put(IngestConfig.POLL_INTERVAL_MS, 100L);
        m.put(IngestConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        m.put(IngestConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        m.put(IngestConfig.ITEMS_TOPIC, itemsTopic);
        m.put(IngestConfig.FILES_TOPIC, filesTopic);
        m.put(IngestConfig.RETRY_BACKOFF_MS, 200L);
        m.put(IngestConfig.RETRY_BACKOFF_MAX_MS, 1000L);
        return m;
    }

    IngestService start(Map<String, Object> settings) throws Exception {
        IngestConfig config = new IngestConfig(settings);
        dev.digestflow.ingest.publish.ItemPublisher.ensureTopics(config);
        IngestService service = new IngestService(config, new IngestMetrics(meters), Clock.systemUTC());
        service.start();
        return service;
    }

    /** Drops a file the way careful users do: written beside the inbox, then renamed in. */
    Path drop(String name, byte[] content) throws IOException {
        Path staging = Files.createDirectories(home.resolve("staging")).resolve(name);
        Files.write(staging, content);
        return Files.move(staging, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    List<Path> processedFiles() throws IOException {
        if (!Files.exists(processed)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(processed)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    Path errorFile(String name) {
        return failed.resolve(name + ".error.txt");
    }

    /** Every record currently on the topic, read from the beginning with the project's serde. */
    <T> List<ConsumerRecord<String, T>> readAll(String topic, Class<? extends org.apache.avro.specific.SpecificRecord> type) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        ConfluentAvroDeserializer<T> values = new ConfluentAvroDeserializer<>(type);
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.registryUrl()), false);
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            return TopicSnapshot.readAll(consumer, topic, Duration.ofSeconds(30));
        }
    }
}
