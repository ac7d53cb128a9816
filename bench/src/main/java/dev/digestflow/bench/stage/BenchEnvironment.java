package dev.digestflow.bench.stage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.app.PipelineNames;
import dev.digestflow.app.UpConfiguration;
import dev.digestflow.bench.measure.ProcessProbe;
import dev.digestflow.sink.index.ElasticsearchClients;
import dev.digestflow.service.kafka.TopicSnapshot;

/**
 * Where the bench runs (the stack's endpoints, a scratch folder) and which processes it watches.
 * Every phase gets its own topics, groups and alias under {@code runId}, so phases never see each
 * other's data and a bench never touches a running pipeline's.
 */
public record BenchEnvironment(String bootstrapServers, String registryUrl, String elasticsearchUrl, Path workDir, String runId,
        List<ProcessProbe> probes, Duration phaseTimeout, Map<String, Object> enrichSettings) {

    public BenchEnvironment {
        probes = List.copyOf(probes);
        enrichSettings = Map.copyOf(enrichSettings);
    }

    /** With enrich-streams as up configures it, nothing overridden. */
    public BenchEnvironment(String bootstrapServers, String registryUrl, String elasticsearchUrl, Path workDir, String runId, List<ProcessProbe> probes,
            Duration phaseTimeout) {
        this(bootstrapServers, registryUrl, elasticsearchUrl, workDir, runId, probes, phaseTimeout, Map.of());
    }

    /** The bench's enrich-streams settings ({@code --enrich}) as a user's configuration over up's, for the end-to-end pipelines. */
    public UpConfiguration upConfiguration() {
        return new UpConfiguration(Map.of(), enrichSettings, Map.of(), enrichSettings.keySet().stream().map(k -> "bench --enrich " + k).toList());
    }

    public PipelineNames names(String phase) {
        return PipelineNames.prefixed(runId + "-" + phase);
    }

    public Path home(String phase) {
        return workDir.resolve(phase);
    }

    /** Every record of a topic as bytes, read_committed: what a downstream consumer sees. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return TopicSnapshot.readAll(consumer, topic, phaseTimeout);
        }
    }

    public ElasticsearchTransport esTransport() {
        return ElasticsearchClients.transport(elasticsearchUrl);
    }

    /** Documents searchable under an alias now (no forced refresh: what a dashboard would see). */
    public static long searchable(ElasticsearchClient es, String alias) throws java.io.IOException {
        return es.count(c -> c.index(alias)).count();
    }

    /** Documents under an alias after a refresh: for checking, not for timing. */
    public static long refreshedCount(ElasticsearchClient es, String alias) throws java.io.IOException {
        es.indices().refresh(r -> r.index(alias));
        return searchable(es, alias);
    }
}
