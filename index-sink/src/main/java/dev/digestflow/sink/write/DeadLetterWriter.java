package dev.digestflow.sink.write;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.digestflow.schema.dlq.DeadLetterHeaders;

/**
 * Writes rejected records to the dead-letter topic: the original key and value bytes, with headers
 * giving the stage, the source position, the exception and, for ES rejections, ES's error type,
 * reason and status. The returned future completes when Kafka has acknowledged the dead letter; only
 * then may the source offset be committed.
 */
public final class DeadLetterWriter implements DeadLetterSink {

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

    @Override
    public CompletableFuture<Void> send(PendingRecord record, String stage, String exceptionClass, String message, EsError es) {
        DeadLetterHeaders.Builder headers = DeadLetterHeaders.of(stage, record.partition().topic(), record.partition().partition(), record.offset(),
                exceptionClass, message).itemId(record.itemId());
        if (es != null) {
            headers.elasticsearch(es.status(), es.type(), es.reason(), es.index());
        }
        var h = headers.build();
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

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        producer.close();
    }
}
