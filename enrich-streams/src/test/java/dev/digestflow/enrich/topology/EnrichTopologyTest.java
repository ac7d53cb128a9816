package dev.digestflow.enrich.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.SourceRef;
import dev.digestflow.schema.TagExplanation;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.schema.registry.InMemorySchemaRegistryClient;
import dev.digestflow.schema.serde.ConfluentAvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The topology driven by TopologyTestDriver: outputs, the dedup store, routing and dead letters. */
class EnrichTopologyTest {

    private static final Instant T0 = Instant.parse("2025-12-09T10:00:00Z");
    private final String scope = "enrich-" + UUID.randomUUID();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, DigestItem> raw;
    private TestInputTopic<byte[], byte[]> rawBytes;
    private TestOutputTopic<String, TaggedItem> tagged;
    private TestOutputTopic<byte[], byte[]> dlq;
    private ConfluentAvroSerde<TaggedItem> taggedSerde;

    private EnrichConfig config(Map<String, Object> overrides) {
        Map<String, Object> m = new HashMap<>();
        m.put(EnrichConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
        m.put(EnrichConfig.STATE_DIR, stateDir.toString());
        m.put(EnrichConfig.APPLICATION_ID, "enrich-test");
        m.putAll(overrides);
        return new EnrichConfig(m);
    }

    private void start(EnrichConfig config) {
        Properties props = EnrichTopology.streamsProperties(config, meters);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        driver = new TopologyTestDriver(EnrichTopology.build(config, Taxonomy.defaults(), new EnrichMetrics(meters)), props, T0);
        ConfluentAvroSerde<DigestItem> items = ConfluentAvroSerde.forValues(DigestItem.class, config.serdeConfig());
        taggedSerde = ConfluentAvroSerde.forValues(TaggedItem.class, config.serdeConfig());
        raw = driver.createInputTopic("digest.items.raw", new StringSerializer(), items.serializer());
        rawBytes = driver.createInputTopic("digest.items.raw", new ByteArraySerializer(), new ByteArraySerializer());
        tagged = driver.createOutputTopic("digest.items.tagged", new StringDeserializer(), taggedSerde.deserializer());
        dlq = driver.createOutputTopic("digest.items.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        InMemorySchemaRegistryClient.dropScope(scope);
    }

    private static DigestItem item(String title, String summary, String file) {
        return DigestItem.newBuilder().setItemId(ItemIds.of(title)).setTitle(title).setSummary(summary).setAuthors(List.of())
                .setSource(SourceRef.newBuilder().setFile(file).setSha256("ab".repeat(32)).setFormat("markdown").setOrdinal(0).setLine(1).build())
                .setIngestedAt(T0).build();
    }

    private void pipe(DigestItem item, Instant at) {
        raw.pipeInput(item.getItemId(), item, at);
    }

    private double duplicates() {
        return meters.counter("digestflow.enrich.duplicates.dropped").count();
    }

    @Test
    void keepsTheFirstOccurrenceWithinAndAcrossFiles() {
        start(config(Map.of()));
        DigestItem a1 = item("Reinforcement Learning for Fine-Tuning Agents", "PPO agents.", "one.md");
        DigestItem a2 = item("Reinforcement Learning for Fine-Tuning Agents", "PPO agents.", "one.md");
        DigestItem a3 = item("REINFORCEMENT LEARNING FOR \u201CFINE\u2011TUNING\u201D AGENTS", "same paper, other digest", "two.txt");
        DigestItem b = item("Retrieval-Augmented Generation at Scale", "RAG.", "two.txt");
        pipe(a1, T0);
        pipe(a2, T0.plusSeconds(1));
        pipe(a3, T0.plusSeconds(2));
        pipe(b, T0.plusSeconds(3));

        List<TestRecord<String, TaggedItem>> out = tagged.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly(a1.getItemId(), b.getItemId());
        assertThat(out.get(0).value().getItem().getSource().getFile()).isEqualTo("one.md");
        assertThat(duplicates()).isEqualTo(2.0);
        WindowStore<String, Long> store = driver.getWindowStore(EnrichTopology.DEDUP_STORE);
        assertThat(store.fetch(a1.getItemId(), 0, T0.plusSeconds(10).toEpochMilli()).next().value).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void forgetsAnIdOnceStreamTimePassesTheRetention() {
        start(config(Map.of(EnrichConfig.DEDUP_RETENTION_MS, Duration.ofHours(1).toMillis())));
        DigestItem a = item("Agents that plan", "tool use", "one.md");
        pipe(a, T0);
        pipe(a, T0.plus(Duration.ofMinutes(30)));
        assertThat(tagged.readRecordsToList()).hasSize(1);
        // Other records move stream time far past the retention; the store's segments for T0 expire.
        pipe(item("Something else entirely", null, "x.md"), T0.plus(Duration.ofHours(5)));
        pipe(a, T0.plus(Duration.ofHours(5)).plusSeconds(1));
        List<TestRecord<String, TaggedItem>> out = tagged.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly(ItemIds.of("Something else entirely"), a.getItemId());
        assertThat(duplicates()).isEqualTo(1.0);
    }

    @Test
    void tagsCarryTheirExplanationAndTimestamps() {
        start(config(Map.of()));
        DigestItem a = item("Fine\u2011Tuning Agents with Reinforcement Learning", "We use PPO.", "one.md");
        pipe(a, T0);
        TaggedItem t = tagged.readValue();
        assertThat(t.getTags()).contains("fine-tuning", "reinforcement-learning", "agents");
        assertThat(t.getExplanations()).extracting(TagExplanation::getTag).containsExactlyElementsOf(t.getTags());
        TagExplanation ft = t.getExplanations().stream().filter(e -> e.getTag().equals("fine-tuning")).findFirst().orElseThrow();
        // The lexicon's term first, then the words that weighed most in the learned part.
        assertThat(ft.getMatchedTerms()).first().isEqualTo("fine-tuning");
        assertThat(ft.getMatchedTerms().subList(1, ft.getMatchedTerms().size())).allMatch(w -> w.startsWith("learned \""));
        assertThat(ft.getScore()).isGreaterThanOrEqualTo(Taxonomy.defaults().threshold());
        assertThat(t.getFirstSeenAt()).isEqualTo(T0);
        assertThat(t.getTaggedAt()).isNotNull();
        assertThat(t.getTaxonomyVersion()).as("the taxonomy that tagged it").isEqualTo(Taxonomy.defaults().version());
    }

    @Test
    void routesEveryTagToItsTopicAndUntaggedItemsToo() {
        start(config(Map.of()));
        DigestItem two = item("Reinforcement learning for robot manipulation", null, "one.md");
        DigestItem none = item("A letter from the editor", "Thanks for reading.", "one.md");
        pipe(two, T0);
        pipe(none, T0.plusSeconds(1));
        TestOutputTopic<String, TaggedItem> rl = driver.createOutputTopic("digest.tag.reinforcement-learning", new StringDeserializer(), taggedSerde.deserializer());
        TestOutputTopic<String, TaggedItem> robots = driver.createOutputTopic("digest.tag.robotics-embodied", new StringDeserializer(), taggedSerde.deserializer());
        TestOutputTopic<String, TaggedItem> untagged = driver.createOutputTopic("digest.tag.untagged", new StringDeserializer(), taggedSerde.deserializer());
        assertThat(rl.readRecordsToList().stream().map(TestRecord::key).toList()).containsExactly(two.getItemId());
        assertThat(robots.readRecordsToList().stream().map(TestRecord::key).toList()).containsExactly(two.getItemId());
        TestRecord<String, TaggedItem> u = untagged.readRecord();
        assertThat(u.key()).isEqualTo(none.getItemId());
        assertThat(u.value().getTags()).containsExactly(Taxonomy.UNTAGGED);
        assertThat(u.value().getExplanations()).isEmpty();
        assertThat(new String(u.headers().lastHeader("digestflow.tag").value(), StandardCharsets.UTF_8)).isEqualTo("untagged");
        assertThat(meters.counter("digestflow.enrich.items.tagged", "tag", "untagged").count()).isEqualTo(1.0);
    }

    @Test
    void recordsKeyedOtherwiseAreRekeyedByItemIdBeforeDedup() {
        start(config(Map.of()));
        DigestItem a = item("Agents that plan", null, "one.md");
        raw.pipeInput("not-the-item-id", a, T0);
        raw.pipeInput(null, a, T0.plusSeconds(1));
        pipe(a, T0.plusSeconds(2));
        assertThat(tagged.readRecordsToList().stream().map(TestRecord::key).toList()).containsExactly(a.getItemId());
        assertThat(duplicates()).isEqualTo(2.0);
    }

    @Test
    void poisonPillsGoToTheDeadLetterTopicWithHeadersWhileGoodRecordsFlow() {
        start(config(Map.of()));
        byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        rawBytes.pipeInput("k1".getBytes(StandardCharsets.UTF_8), garbage, T0);
        DigestItem noId = item("Has a title", null, "one.md");
        noId.setItemId("");
        raw.pipeInput("k2", noId, T0.plusSeconds(1));
        raw.pipeInput("k3", null, T0.plusSeconds(2));
        DigestItem good = item("Agents that plan", null, "one.md");
        pipe(good, T0.plusSeconds(3));

        assertThat(tagged.readRecordsToList().stream().map(TestRecord::key).toList()).containsExactly(good.getItemId());
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(3);
        TestRecord<byte[], byte[]> first = dead.get(0);
        assertThat(first.value()).isEqualTo(garbage);
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("k1");
        assertThat(header(first.headers(), DeadLetters.H_STAGE)).isEqualTo("enrich-streams.deserialize");
        assertThat(header(first.headers(), DeadLetters.H_TOPIC)).isEqualTo("digest.items.raw");
        assertThat(header(first.headers(), DeadLetters.H_PARTITION)).isEqualTo("0");
        assertThat(header(first.headers(), DeadLetters.H_OFFSET)).isEqualTo("0");
        assertThat(header(first.headers(), DeadLetters.H_EXCEPTION)).isEqualTo(dev.digestflow.schema.serde.UndecodableRecordException.class.getName());
        assertThat(header(first.headers(), DeadLetters.H_MESSAGE)).contains("unknown magic byte 0x7b");
        TestRecord<byte[], byte[]> second = dead.get(1);
        assertThat(header(second.headers(), DeadLetters.H_STAGE)).isEqualTo("enrich-streams.process");
        assertThat(header(second.headers(), DeadLetters.H_OFFSET)).matches("\\d+");
        assertThat(header(second.headers(), DeadLetters.H_MESSAGE)).contains("no id to deduplicate on");
        assertThat(header(second.headers(), DeadLetters.H_PROCESSOR)).isEqualTo("dedup");
        assertThat(second.value()).as("the original bytes").isNotEmpty();
        assertThat(header(dead.get(2).headers(), DeadLetters.H_MESSAGE)).contains("no value");
        assertThat(meters.counter("digestflow.enrich.dlq.records", "stage", "deserialize").count()).isEqualTo(1.0);
        assertThat(meters.counter("digestflow.enrich.dlq.records", "stage", "process").count()).isEqualTo(2.0);
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /**
     * Restart survival itself is proven in EnrichStreamsIT with a real KafkaStreams instance:
     * TopologyTestDriver.close() deletes its state directory, so a driver restart cannot show it.
     */
    @Test
    void dedupStateLivesInAPersistentChangeloggedStore() {
        start(config(Map.of()));
        WindowStore<String, Long> store = driver.getWindowStore(EnrichTopology.DEDUP_STORE);
        assertThat(store.persistent()).isTrue();
        pipe(item("Agents that plan", null, "one.md"), T0);
        assertThat(driver.producedTopicNames()).contains("enrich-test-" + EnrichTopology.DEDUP_STORE + "-changelog");
        assertThat(EnrichTopology.build(config(Map.of()), Taxonomy.defaults(), new EnrichMetrics(meters)).describe().toString())
                .contains(EnrichTopology.DEDUP_STORE).contains("by-item-id-repartition");
    }
}
