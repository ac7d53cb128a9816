package dev.digestflow.sink;

import java.io.IOException;
import java.io.InputStream;
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
import org.apache.kafka.common.serialization.StringSerializer;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.enrich.taxonomy.Tagger;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.ingest.parse.DigestItems;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.TextDecoder;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.SourceRef;
import dev.digestflow.schema.TagExplanation;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroSerializer;
import dev.digestflow.service.kafka.TopicSnapshot;
import dev.digestflow.service.kafka.Topics;
import dev.digestflow.sink.config.SinkConfig;
import dev.digestflow.sink.index.ElasticsearchClients;
import dev.digestflow.sink.write.SinkService;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestProducers;
import dev.digestflow.teststack.TestStack;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Topics, index names, producing, counting and sink start-up for index-sink integration tests. */
final class SinkHarness implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(120);

    final TestStack stack;
    final String tagged;
    final String dlq;
    final String group;
    final String alias;
    final Map<String, Object> extra = new HashMap<>();
    final ElasticsearchTransport transport;
    final ElasticsearchClient es;

    SinkHarness(TestStack stack, TestNames names, String test) throws Exception {
        this(stack, names, test, 2);
    }

    SinkHarness(TestStack stack, TestNames names, String test, int partitions) throws Exception {
        this.stack = stack;
        this.tagged = names.topic(test + ".tagged");
        this.dlq = names.topic(test + ".dlq");
        this.group = names.group(test);
        this.alias = names.index(test + "-items");
        this.transport = ElasticsearchClients.transport(stack.elasticsearchUrl());
        this.es = new ElasticsearchClient(transport);
        Topics.ensure(stack.bootstrapServers(), Map.of(), List.of(tagged, dlq), partitions, (short) -1);
    }

    Map<String, Object> settings() {
        Map<String, Object> m = new HashMap<>();
        m.put(SinkConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        m.put(SinkConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        m.put(SinkConfig.ES_URLS, stack.elasticsearchUrl());
        m.put(SinkConfig.TAGGED_TOPIC, tagged);
        m.put(SinkConfig.DLQ_TOPIC, dlq);
        m.put(SinkConfig.GROUP_ID, group);
        m.put(SinkConfig.INDEX_ALIAS, alias);
        m.put(SinkConfig.INDEX_TEMPLATE, alias);
        m.put(SinkConfig.HTTP_PORT, 0);
        m.put(SinkConfig.RETRY_BACKOFF_MAX_MS, 2000);
        m.put(SinkConfig.OUTAGE_LOG_INTERVAL_MS, 10_000);
        m.put(SinkConfig.COMMIT_INTERVAL_MS, 200);
        m.putAll(extra);
        return m;
    }

    SinkConfig config() {
        return new SinkConfig(settings());
    }

    /** Template and alias, as the service does at start-up, then the worker. */
    SinkService startSink(SimpleMeterRegistry meters) throws Exception {
        SinkConfig config = config();
        IndexSinkMain.prepareIndex(config, es);
        SinkService sink = new SinkService(config, new ElasticsearchAsyncClient(transport), meters);
        sink.start();
        return sink;
    }

    /** The items of the three sample digests, tagged with the shipped taxonomy as enrich-streams does. */
    static List<TaggedItem> sampleTaggedItems() throws Exception {
        Tagger tagger = new Tagger(Taxonomy.defaults());
        List<TaggedItem> all = new ArrayList<>();
        for (String sample : List.of("000_545bdede27ca3e01.txt", "003_19fcee2af990f575.txt", "004_daa9faf00548796a.txt")) {
            byte[] bytes;
            try (InputStream in = SinkHarness.class.getResourceAsStream("/samples/" + sample)) {
                bytes = in.readAllBytes();
            }
            ParseResult r = ParserRegistry.defaults().parse(TextDecoder.decode(sample, Instant.parse("2025-12-09T12:00:00Z"), bytes));
            for (int i = 0; i < r.items().size(); i++) {
                all.add(tag(tagger, DigestItems.toEvent(r.items().get(i), sample, "ab".repeat(32), r.format(), i, Instant.now())));
            }
        }
        return all;
    }

    static TaggedItem tag(Tagger tagger, DigestItem item) {
        List<TagExplanation> explanations = tagger.tag(item.getTitle(), item.getSummary());
        List<String> tags = explanations.isEmpty() ? List.of(Taxonomy.UNTAGGED) : explanations.stream().map(TagExplanation::getTag).toList();
        return TaggedItem.newBuilder().setItem(item).setTags(tags).setExplanations(explanations).setFirstSeenAt(Instant.now())
                .setTaggedAt(Instant.now()).build();
    }

    /** n distinct synthetic tagged items. */
    static List<TaggedItem> syntheticItems(int n, String prefix) {
        Tagger tagger = new Tagger(Taxonomy.defaults());
        String[] topics = {"reinforcement learning for agents", "fine-tuning small language models", "retrieval-augmented generation",
            "robot manipulation policies", "benchmarks for reasoning"};
        List<TaggedItem> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String title = prefix + " " + i + ": " + topics[i % topics.length];
            DigestItem item = DigestItem.newBuilder().setItemId(ItemIds.of(title)).setTitle(title)
                    .setSummary("We study " + topics[(i + 1) % topics.length] + " with PPO and LoRA adapters on a new benchmark.")
                    .setAuthors(List.of("A. Author", "B. Author")).setAuthorCount(2).setPublished("2025-12-0" + (1 + i % 9))
                    .setSource(SourceRef.newBuilder().setFile("gen.jsonl").setSha256("cd".repeat(32)).setFormat("json-lines").setOrdinal(i).setLine(i + 1).build())
                    .setIngestedAt(Instant.now()).build();
            items.add(tag(tagger, item));
        }
        return items;
    }

    void produce(List<TaggedItem> items) throws Exception {
        TestProducers.sendAvro(stack, tagged, items, i -> i.getItem().getItemId());
    }

    void produceBytes(byte[] key, byte[] value) throws Exception {
        TestProducers.sendBytes(stack, tagged, key, value);
    }

    /** Documents searchable in the alias (after a refresh); 0 while the alias does not exist yet. */
    long count() throws IOException {
        if (!es.indices().existsAlias(a -> a.name(alias)).value()) {
            return 0;
        }
        es.indices().refresh(r -> r.index(alias));
        return es.count(c -> c.index(alias)).count();
    }

    /** Whether the group has committed up to the end of the tagged topic. */
    boolean caughtUp() throws Exception {
        return committedLag() == 0;
    }

    /** Records between the group's committed offsets and the end of the topic. */
    long committedLag() throws Exception {
        return TopicSnapshot.committedLag(stack.bootstrapServers(), Map.of(), group, tagged);
    }

    List<ConsumerRecord<byte[], byte[]>> readDlq() {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return TopicSnapshot.readAll(consumer, dlq, Duration.ofSeconds(30));
        }
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }
}
