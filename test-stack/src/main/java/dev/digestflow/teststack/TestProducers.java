package dev.digestflow.teststack;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Filling a topic for a test: every record acknowledged, or the test fails with the send's own error. */
public final class TestProducers {

    private TestProducers() {
    }

    /**
     * Sends every value keyed by {@code key}, flushes, then checks each acknowledgement. The deadline
     * is the producer's own {@code delivery.timeout.ms} (2 min by default) rather than a fixed wait per
     * record: on a loaded two-core CI machine the first batch of a fresh topic can take far longer
     * than the rest, and a per-future timeout fails a test that Kafka would have completed.
     */
    public static <K, V> List<RecordMetadata> sendAll(Producer<K, V> producer, String topic, List<V> values, Function<V, K> key) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(values.size());
        for (V v : values) {
            acks.add(producer.send(new ProducerRecord<>(topic, key.apply(v), v)));
        }
        producer.flush();
        List<RecordMetadata> metadata = new ArrayList<>(acks.size());
        for (Future<RecordMetadata> a : acks) {
            metadata.add(a.get()); // complete after flush(): returns at once or throws the delivery failure
        }
        return metadata;
    }

    /** Avro values in Confluent's wire format (through the stack's registry), keyed by {@code key}; every one acknowledged. */
    public static <V extends org.apache.avro.specific.SpecificRecord> void sendAvro(TestStack stack, String topic, List<V> values, Function<V, String> key)
            throws Exception {
        java.util.Map<String, Object> props = java.util.Map.of(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(), org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all",
                org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, 5);
        dev.digestflow.schema.serde.ConfluentAvroSerializer<V> serializer = new dev.digestflow.schema.serde.ConfluentAvroSerializer<>();
        serializer.configure(java.util.Map.of(dev.digestflow.schema.serde.AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.registryUrl()), false);
        try (org.apache.kafka.clients.producer.KafkaProducer<String, V> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(props,
                new org.apache.kafka.common.serialization.StringSerializer(), serializer)) {
            sendAll(producer, topic, values, key);
        }
    }

    /** One record of raw bytes (a poison record, say), acknowledged. */
    public static void sendBytes(TestStack stack, String topic, byte[] key, byte[] value) throws Exception {
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                java.util.Map.of(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new org.apache.kafka.common.serialization.ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
