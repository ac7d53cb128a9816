package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.localstack.registry.RegistryServer;
import dev.digestflow.localstack.registry.SchemaStore;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.SourceRef;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.schema.serde.WireFormat;
import dev.digestflow.service.kafka.TopicSnapshot;
import dev.digestflow.sink.index.ElasticsearchClients;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;

/**
 * A schema registry outage, on the real broker, registry and ES node: the registry stops, records
 * arrive whose writer schema id no service has cached (a new version of the raw and of the tagged
 * schema), 30 s pass, the registry starts again. Every item must then be tagged and indexed exactly
 * once, nothing may be dead-lettered, and both services must have said "not ready" meanwhile.
 *
 * <p>The registry is this test's own (its own schemas topic, on a port of its own), so that stopping
 * it does not disturb other tests sharing the stack.
 */
@ExtendWith(TestStackExtension.class)
class RegistryOutageIT {

    private static final int WARM = 5;
    private static final int RAW_DURING_OUTAGE = 20;
    private static final int TAGGED_DURING_OUTAGE = 10;

    @Test
    void recordsArrivingDuringARegistryOutageAreHeldThenIndexedExactlyOnceWithNothingDeadLettered(TestStack stack, TestNames names,
            @TempDir Path home) throws Exception {
        PipelineNames n = PipelineNames.prefixed(names.group("outage"));
        String schemasTopic = names.topic("_schemas-outage");
        int port = freePort();
        SchemaStore store = new SchemaStore(stack.bootstrapServers(), schemasTopic);
        RegistryServer registry = new RegistryServer(store, port);
        registry.start();
        String url = registry.url();
        try (Pipeline pipeline = Pipeline.start(stack.bootstrapServers(), url, stack.elasticsearchUrl(), n, home, Pipeline.Ports.any());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            await().atMost(Duration.ofMinutes(2)).until(pipeline::ready);
            Set<String> expected = new HashSet<>();

            // Warm up: the services fetch and cache version 1 of both schemas.
            int rawV1 = store.register(n.raw() + "-value", DigestItem.getClassSchema());
            for (int i = 0; i < WARM; i++) {
                DigestItem item = item("warm-up item " + i);
                expected.add(item.getItemId());
                producer.send(new ProducerRecord<>(n.raw(), item.getItemId(), wire(rawV1, item, false))).get();
            }
            awaitIndexed(stack, n, expected.size());

            // The outage: the registry stops; version 2 of both schemas is registered behind its back
            // (straight into its topic), and records written with it arrive.
            registry.close();
            store.close();
            int rawV2;
            int taggedV2;
            try (SchemaStore offline = new SchemaStore(stack.bootstrapServers(), schemasTopic)) {
                rawV2 = offline.register(n.raw() + "-value", withProbeField(DigestItem.getClassSchema()));
                taggedV2 = offline.register(n.tagged() + "-value", withProbeField(TaggedItem.getClassSchema()));
            }
            for (int i = 0; i < RAW_DURING_OUTAGE; i++) {
                DigestItem item = item("item written with raw schema v2, number " + i);
                expected.add(item.getItemId());
                producer.send(new ProducerRecord<>(n.raw(), item.getItemId(), wire(rawV2, item, true))).get();
            }
            for (int i = 0; i < TAGGED_DURING_OUTAGE; i++) {
                DigestItem item = item("item written with tagged schema v2 by an upgraded enricher, number " + i);
                expected.add(item.getItemId());
                TaggedItem tagged = TaggedItem.newBuilder().setItem(item).setTags(List.of("agents")).setExplanations(List.of())
                        .setFirstSeenAt(Instant.now()).setTaggedAt(Instant.now()).build();
                producer.send(new ProducerRecord<>(n.tagged(), item.getItemId(), wire(taggedV2, tagged, true))).get();
            }

            // 30 s of outage, watching both services' readiness over HTTP.
            Map<String, String> notReady = new ConcurrentHashMap<>();
            HttpClient http = HttpClient.newHttpClient();
            Endpoints e = pipeline.endpoints();
            await().during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).until(() -> {
                probe(http, "enrich-streams", e.enrichHttpPort(), notReady);
                probe(http, "index-sink", e.sinkHttpPort(), notReady);
                return pipeline.failure() == null;
            });
            assertThat(notReady).as("readiness during the outage").containsKeys("enrich-streams", "index-sink");
            assertThat(notReady.values()).allSatisfy(body -> assertThat(body).contains("schema registry unavailable"));
            assertThat(pipeline.failure()).isNull();
            assertThat(dlq(stack, n)).as("dead letters during the outage").isEmpty();

            // The registry comes back (same port, same topic): everything gets through, once.
            try (SchemaStore back = new SchemaStore(stack.bootstrapServers(), schemasTopic); RegistryServer again = new RegistryServer(back, port)) {
                again.start();
                awaitIndexed(stack, n, expected.size());
                try (ElasticsearchTransport t = ElasticsearchClients.transport(stack.elasticsearchUrl())) {
                    ElasticsearchClient es = new ElasticsearchClient(t);
                    es.indices().refresh(r -> r.index(n.alias()));
                    assertThat(es.count(c -> c.index(n.alias()).query(q -> q.ids(i -> i.values(List.copyOf(expected))))).count())
                            .isEqualTo(expected.size());
                }
                List<String> taggedKeys = new ArrayList<>();
                try (KafkaConsumer<String, byte[]> consumer = consumer(stack)) {
                    TopicSnapshot.readAll(consumer, n.tagged(), Duration.ofSeconds(30)).forEach(r -> taggedKeys.add(r.key()));
                }
                assertThat(taggedKeys).as("the tagged stream holds each item once").hasSize(expected.size()).doesNotHaveDuplicates();
                assertThat(dlq(stack, n)).as("dead letters after the outage").isEmpty();
                await().atMost(Duration.ofMinutes(1)).until(pipeline::ready);
            }
        }
    }

    private static void probe(HttpClient http, String service, int port, Map<String, String> notReady) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                notReady.putIfAbsent(service, r.body());
            }
        } catch (Exception ex) {
            throw new AssertionError(service + " health endpoint did not answer: " + ex, ex);
        }
    }

    private static void awaitIndexed(TestStack stack, PipelineNames n, int count) throws Exception {
        try (ElasticsearchTransport t = ElasticsearchClients.transport(stack.elasticsearchUrl())) {
            ElasticsearchClient es = new ElasticsearchClient(t);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                if (!es.indices().existsAlias(a -> a.name(n.alias())).value()) {
                    return false;
                }
                es.indices().refresh(r -> r.index(n.alias()));
                return es.count(c -> c.index(n.alias())).count() == count;
            });
        }
    }

    private static List<String> dlq(TestStack stack, PipelineNames n) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(stack)) {
            TopicSnapshot.readAll(consumer, n.dlq(), Duration.ofSeconds(30)).forEach(r -> out.add(r.key() + " " + r.headers()));
        }
        return out;
    }

    private static KafkaConsumer<String, byte[]> consumer(TestStack stack) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static DigestItem item(String title) {
        return DigestItem.newBuilder().setItemId(ItemIds.of(title)).setTitle(title).setSummary("An agent framework for tool use, " + title)
                .setAuthors(List.of()).setSource(SourceRef.newBuilder().setFile("outage.md").setSha256("ab".repeat(32)).setFormat("markdown")
                        .setOrdinal(0).setLine(1).build())
                .setIngestedAt(Instant.now()).build();
    }

    /** Version 2: the same record with one more optional field at the end, as a compatible upgrade adds. */
    private static Schema withProbeField(Schema v1) {
        String json = v1.toString();
        String field = ",{\"name\":\"outageProbe\",\"type\":[\"null\",\"string\"],\"default\":null}]";
        int fieldsEnd = json.lastIndexOf("]");
        return new Schema.Parser().parse(json.substring(0, fieldsEnd) + field + json.substring(fieldsEnd + 1));
    }

    /**
     * Confluent's wire format by hand: v1's binary encoding, plus, for v2, the probe field's null
     * branch (one zero byte), which is exactly v2's encoding of the same record.
     */
    private static byte[] wire(int schemaId, SpecificRecord record, boolean v2) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(WireFormat.MAGIC_BYTE);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        if (v2) {
            out.write(0);
        }
        return out.toByteArray();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
