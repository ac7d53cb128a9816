package dev.digestflow.sink.write;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.digestflow.schema.dlq.DeadLetterHeaders;

/**
 * Writes rejected records to the dead-letter topic: the original key and value bytes, with headers
 * giving the stage, the source position, the exception and, for ES rejections, ES's error type,
 * reason and status. The returned future completes when Kafka has acknowledged the dead letter; only
 * then may the source offset be committed.
 */
public final class DeadLetterWriter implements AutoCloseable {

    /** Why Elasticsearch rejected a document, as it said it. */
    public record EsError(int status, String type, String reason, String index) {
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public DeadLetterWriter(String bootstrapServers, Map<String, Object> clientSettings, String topic) {
        Map<String, Object> props = new HashMap<>(clientSettings);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "index-sink-dlq");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    public CompletableFuture<Void> send(PendingRecord record, String stage, String exceptionClass, String message, EsError es) {
        RecordHeaders h = new RecordHeaders();
        put(h, DeadLetterHeaders.STAGE, stage);
        put(h, DeadLetterHeaders.TOPIC, record.partition().topic());
        put(h, DeadLetterHeaders.PARTITION, String.valueOf(record.partition().partition()));
        put(h, DeadLetterHeaders.OFFSET, String.valueOf(record.offset()));
        put(h, DeadLetterHeaders.EXCEPTION_CLASS, exceptionClass);
        put(h, DeadLetterHeaders.EXCEPTION_MESSAGE, message);
        if (record.itemId() != null) {
            put(h, DeadLetterHeaders.ITEM_ID, record.itemId());
        }
        if (es != null) {
            put(h, DeadLetterHeaders.ES_STATUS, String.valueOf(es.status()));
            put(h, DeadLetterHeaders.ES_ERROR_TYPE, es.type());
            put(h, DeadLetterHeaders.ES_ERROR_REASON, es.reason());
            put(h, DeadLetterHeaders.ES_INDEX, es.index());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), h), (meta, e) -> {
            if (e == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    public String topic() {
        return topic;
    }

    private static void put(RecordHeaders headers, String name, String value) {
        headers.add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
