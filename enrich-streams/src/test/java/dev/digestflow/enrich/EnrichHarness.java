package dev.digestflow.enrich;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.ingest.parse.DigestItems;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.TextDecoder;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.SourceRef;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroDeserializer;
import dev.digestflow.schema.serde.ConfluentAvroSerializer;
import dev.digestflow.service.kafka.TopicSnapshot;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestProducers;
import dev.digestflow.teststack.TestStack;

/** Topics, config, producing and reading for enrich-streams integration tests. */
final class EnrichHarness {

    final TestStack stack;
    final String app;
    final String raw;
    final String tagged;
    final String dlq;
    final String tagPrefix;
    final Path stateDir;
    /** Settings a test adds, e.g. kafka.* client overrides. */
    final Map<String, Object> extra = new HashMap<>();

    EnrichHarness(TestStack stack, TestNames names, String test, Path stateDir) {
        this.stack = stack;
        this.app = names.group(test);
        this.raw = names.topic(test + ".raw");
        this.tagged = names.topic(test + ".tagged");
        this.dlq = names.topic(test + ".dlq");
        this.tagPrefix = names.topic(test + ".tag.");
        this.stateDir = stateDir;
    }

    Map<String, Object> settings() {
        Map<String, Object> m = new HashMap<>();
        m.put(EnrichConfig.APPLICATION_ID, app);
        m.put(EnrichConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        m.put(EnrichConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        m.put(EnrichConfig.RAW_TOPIC, raw);
        m.put(EnrichConfig.TAGGED_TOPIC, tagged);
        m.put(EnrichConfig.DLQ_TOPIC, dlq);
        m.put(EnrichConfig.TAG_TOPIC_PREFIX, tagPrefix);
        m.put(EnrichConfig.TAG_TOPICS_ENABLED, false);
        m.put(EnrichConfig.STATE_DIR, stateDir.toString());
        m.put(EnrichConfig.TOPIC_PARTITIONS, 2);
        m.putAll(extra);
        return m;
    }

    /** The 89 items of the three sample digests. */
    static List<DigestItem> sampleItems() throws Exception {
        List<DigestItem> all = new ArrayList<>();
        for (String sample : List.of("000_545bdede27ca3e01.txt", "003_19fcee2af990f575.txt", "004_daa9faf00548796a.txt")) {
            byte[] bytes;
            try (InputStream in = EnrichHarness.class.getResourceAsStream("/samples/" + sample)) {
                bytes = in.readAllBytes();
            }
            ParseResult r = ParserRegistry.defaults().parse(TextDecoder.decode(sample, Instant.parse("2025-12-09T12:00:00Z"), bytes));
            for (int i = 0; i < r.items().size(); i++) {
                all.add(DigestItems.toEvent(r.items().get(i), sample, "ab".repeat(32), r.format(), i, Instant.now()));
            }
        }
        return all;
    }

    /** n distinct synthetic items. */
    static List<DigestItem> syntheticItems(int n, String prefix) {
        List<DigestItem> items = new ArrayList<>(n);
        String[] topics = {"reinforcement learning for agents", "fine-tuning small models", "retrieval-augmented generation",
            "robot manipulation", "benchmarks for reasoning"};
        for (int i = 0; i < n; i++) {
            String title = prefix + " " + i + ": " + topics[i % topics.length];
            items.add(DigestItem.newBuilder().setItemId(ItemIds.of(title)).setTitle(title)
                    .setSummary("We study " + topics[(i + 1) % topics.length] + " with PPO and LoRA adapters.").setAuthors(List.of())
                    .setSource(SourceRef.newBuilder().setFile("gen.jsonl").setSha256("cd".repeat(32)).setFormat("json-lines").setOrdinal(i).setLine(i + 1).build())
                    .setIngestedAt(Instant.now()).build());
        }
        return items;
    }

    void produce(List<DigestItem> items) throws Exception {
        TestProducers.sendAvro(stack, raw, items, i -> i.getItemId());
    }

    void produceBytes(byte[] key, byte[] value) throws Exception {
        TestProducers.sendBytes(stack, raw, key, value);
    }

    /** Everything committed on the topic, read from the beginning. */
    List<ConsumerRecord<String, TaggedItem>> readTagged() {
        ConfluentAvroDeserializer<TaggedItem> values = new ConfluentAvroDeserializer<>(TaggedItem.class);
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.registryUrl()), false);
        return readAll(tagged, new StringDeserializer(), values);
    }

    List<ConsumerRecord<byte[], byte[]>> readDlq() {
        return readAll(dlq, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private <K, V> List<ConsumerRecord<K, V>> readAll(String topic, org.apache.kafka.common.serialization.Deserializer<K> keys,
            org.apache.kafka.common.serialization.Deserializer<V> values) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, keys, values)) {
            return TopicSnapshot.readAll(consumer, topic, Duration.ofSeconds(30));
        }
    }

    /** Whether the app's consumer group has committed up to the end of the input topic. */
    boolean caughtUp() throws Exception {
        return caughtUp(app, raw);
    }

    /** Whether a consumer group has committed up to the end of a topic. */
    boolean caughtUp(String group, String topic) throws Exception {
        return TopicSnapshot.committedLag(stack.bootstrapServers(), Map.of(), group, topic) == 0;
    }
}
