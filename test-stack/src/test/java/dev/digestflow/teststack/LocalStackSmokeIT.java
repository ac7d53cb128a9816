package dev.digestflow.teststack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.http.HttpHost;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import dev.digestflow.schema.registry.RestSchemaRegistryClient;

/** The shared test stack answers for real: Kafka round trip, registry, ES bulk and search. */
@ExtendWith(TestStackExtension.class)
class LocalStackSmokeIT {

    private static RestClient restClient;
    private static ElasticsearchClient es;

    @BeforeAll
    static void connect(TestStack stack) {
        restClient = RestClient.builder(HttpHost.create(stack.elasticsearchUrl())).build();
        es = new ElasticsearchClient(new RestClientTransport(restClient, new JacksonJsonpMapper()));
    }

    @AfterAll
    static void disconnect() throws Exception {
        restClient.close();
    }

    @Test
    void producesAndConsumesRoundTrip(TestStack stack, TestNames names) throws Exception {
        String topic = names.topic("roundtrip");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, names.group("roundtrip"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                return values.size() >= 10;
            });
        }
        assertThat(values).containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
    }

    @Test
    void registersAndFetchesSchema(TestStack stack, TestNames names) {
        RestSchemaRegistryClient client = RestSchemaRegistryClient.forUrl(stack.registryUrl());
        Schema schema = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Smoke\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
        String subject = names.topic("smoke") + "-value";
        int id = client.register(subject, schema);
        assertThat(client.getById(id)).isEqualTo(schema);
        assertThat(client.getLatest(subject).id()).isEqualTo(id);
    }

    @Test
    void bulkIndexesAndSearchesThroughTheOfficialClient(TestNames names) throws Exception {
        String index = names.index("smoke");
        assertThat(es.info().version().number()).startsWith("8.");
        try (BulkIngester<Void> ingester = BulkIngester.of(b -> b.client(es).maxOperations(50).flushInterval(1, TimeUnit.SECONDS))) {
            for (int i = 0; i < 120; i++) {
                String id = "doc-" + i;
                Map<String, Object> doc = Map.of("title", "Item number " + i + (i % 2 == 0 ? " about agents" : " about retrieval"));
                ingester.add(op -> op.index(idx -> idx.index(index).id(id).document(doc)));
            }
        }
        es.indices().refresh(r -> r.index(index));
        assertThat(es.count(c -> c.index(index)).count()).isEqualTo(120);
        SearchResponse<Map> hits = es.search(s -> s.index(index).query(q -> q.match(m -> m.field("title").query("agents"))).size(100), Map.class);
        assertThat(hits.hits().hits()).hasSize(60);
    }
}
