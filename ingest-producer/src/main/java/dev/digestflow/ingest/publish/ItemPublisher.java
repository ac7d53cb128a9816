package dev.digestflow.ingest.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.service.kafka.Topics;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.serde.ConfluentAvroSerializer;

/**
 * Publishes a file's items and its lifecycle event. Idempotent producer, {@code acks=all},
 * compression; {@link #publishAll} returns only once Kafka acknowledged every record, or throws, so
 * the caller never marks a file done on a partial publish.
 */
public final class ItemPublisher implements AutoCloseable {

    private final KafkaProducer<String, DigestItem> items;
    private final KafkaProducer<String, FileEvent> files;
    private final String itemsTopic;
    private final String filesTopic;
    private final Duration sendTimeout;

    public ItemPublisher(IngestConfig config) {
        this.itemsTopic = config.getString(IngestConfig.ITEMS_TOPIC);
        this.filesTopic = config.getString(IngestConfig.FILES_TOPIC);
        this.sendTimeout = Duration.ofMillis(config.getInt(IngestConfig.SEND_TIMEOUT_MS));
        Map<String, Object> props = producerProps(config);
        this.items = new KafkaProducer<>(props, new StringSerializer(), serializer(config));
        this.files = new KafkaProducer<>(props, new StringSerializer(), serializer(config));
    }

    /** The producer settings of both producers; public so that the bench's raw baseline sends with exactly these. */
    public static Map<String, Object> producerProps(IngestConfig config) {
        Map<String, Object> p = new HashMap<>(config.kafkaPassThrough());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(IngestConfig.BOOTSTRAP_SERVERS));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        int timeout = config.getInt(IngestConfig.SEND_TIMEOUT_MS);
        // A broker that is down must fail the file within send.timeout.ms, so it is retried with backoff.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout - 500, 10_000));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "digestflow-ingest-" + config.instanceId() + "-" + System.identityHashCode(p));
        return p;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> ConfluentAvroSerializer<T> serializer(IngestConfig config) {
        ConfluentAvroSerializer<T> s = new ConfluentAvroSerializer<>();
        s.configure(config.serdeConfig(), false);
        return s;
    }

    /** Creates the topics when absent (partitions and replication from the config). */
    public static void ensureTopics(IngestConfig config) throws InterruptedException, ExecutionException, TimeoutException {
        Topics.ensure(config.getString(IngestConfig.BOOTSTRAP_SERVERS), config.kafkaPassThrough(),
                List.of(config.getString(IngestConfig.ITEMS_TOPIC), config.getString(IngestConfig.FILES_TOPIC)),
                config.getInt(IngestConfig.TOPIC_PARTITIONS), config.getShort(IngestConfig.TOPIC_REPLICATION));
    }

    /** Sends every item keyed by itemId and waits for every acknowledgement. */
    public void publishAll(List<DigestItem> events) throws PublishException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        try {
            for (DigestItem e : events) {
                acks.add(items.send(new ProducerRecord<>(itemsTopic, e.getItemId(), e)));
            }
            items.flush();
            long deadline = System.nanoTime() + sendTimeout.toNanos() + 5_000_000_000L;
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for Kafka acknowledgements", e);
        } catch (ExecutionException e) {
            throw new PublishException("Kafka did not acknowledge every item: " + e.getCause(), e.getCause());
        } catch (TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new PublishException("Kafka did not acknowledge every item in time: " + e, e);
        }
    }

    /** Publishes the file's lifecycle event, keyed by its sha256, and waits for the acknowledgement. */
    public void publishFileEvent(FileEvent event) throws PublishException {
        try {
            var ack = files.send(new ProducerRecord<>(filesTopic, event.getSha256(), event));
            // We wait for this one record anyway: send it now rather than after linger.ms (5 ms per file, a third of a small file's time).
            files.flush();
            ack.get(sendTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while publishing the file event", e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new PublishException("the file event was not acknowledged: " + e, e);
        }
    }

    @Override
    public void close() {
        // Bounded like a send: with Kafka down, unsent records stay safe in their claimed file anyway.
        Duration wait = sendTimeout.compareTo(Duration.ofSeconds(10)) < 0 ? sendTimeout : Duration.ofSeconds(10);
        items.close(wait);
        files.close(wait);
    }

    /** Kafka (or the registry) did not take the records; the file must be retried, never marked done. */
    public static final class PublishException extends Exception {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
