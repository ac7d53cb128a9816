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
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.avro.specific.SpecificRecord;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.service.kafka.Topics;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.serde.ConfluentAvroSerializer;

/**
 * Publishes a file's items and its lifecycle event to Kafka. One idempotent producer for both topics
 * ({@code acks=all}, compression): two producers of one service shared a client.id (a JMX warning) and
 * doubled the connections for nothing, since the file event is only sent once the items are
 * acknowledged. {@link #publishItems} returns only once Kafka acknowledged every record, or throws,
 * so the caller never marks a file done on a partial publish.
 */
public final class ItemPublisher implements FilePublisher {

    /** Room for the record and batch headers around a value, as the producer counts a record's size. */
    private static final int RECORD_OVERHEAD_BYTES = 512;

    private final KafkaProducer<String, SpecificRecord> producer;
    private final ConfluentAvroSerializer<SpecificRecord> sizing;
    private final String itemsTopic;
    private final String filesTopic;
    private final Duration sendTimeout;
    private final int maxRequestSize;

    public ItemPublisher(IngestConfig config) {
        this.itemsTopic = config.getString(IngestConfig.ITEMS_TOPIC);
        this.filesTopic = config.getString(IngestConfig.FILES_TOPIC);
        this.sendTimeout = Duration.ofMillis(config.getInt(IngestConfig.SEND_TIMEOUT_MS));
        Map<String, Object> props = producerProps(config);
        this.maxRequestSize = Integer.parseInt(String.valueOf(props.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024)));
        this.sizing = serializer(config);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), serializer(config));
    }

    /** The producer settings; public so that the bench's raw baseline sends with exactly these. */
    public static Map<String, Object> producerProps(IngestConfig config) {
        Map<String, Object> p = new HashMap<>(config.clientSettings(IngestConfig.Client.PRODUCER));
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
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "digestflow-ingest-" + config.instanceId());
        return p;
    }

    private static ConfluentAvroSerializer<SpecificRecord> serializer(IngestConfig config) {
        ConfluentAvroSerializer<SpecificRecord> s = new ConfluentAvroSerializer<>();
        s.configure(config.serdeConfig(), false);
        return s;
    }

    /** Creates the topics when absent (partitions and replication from the config). */
    public static void ensureTopics(IngestConfig config) throws InterruptedException, ExecutionException, TimeoutException {
        Topics.ensure(config.getString(IngestConfig.BOOTSTRAP_SERVERS), config.clientSettings(IngestConfig.Client.ADMIN),
                List.of(config.getString(IngestConfig.ITEMS_TOPIC), config.getString(IngestConfig.FILES_TOPIC)),
                config.getInt(IngestConfig.TOPIC_PARTITIONS), config.getShort(IngestConfig.TOPIC_REPLICATION));
    }

    /**
     * Sends every item keyed by itemId and waits for every acknowledgement. An item the producer would
     * refuse as too large is found before anything is sent, so a rejected file leaves no partial
     * trace in Kafka; one the broker refuses anyway (its own limit may be lower) is reported the same way.
     */
    @Override
    public void publishItems(List<DigestItem> events) throws PublishException, ItemRejectedException {
        for (int i = 0; i < events.size(); i++) {
            checkSize(events.get(i), i);
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        int waitingFor = 0;
        try {
            for (DigestItem e : events) {
                acks.add(producer.send(new ProducerRecord<>(itemsTopic, e.getItemId(), e)));
            }
            producer.flush();
            long deadline = System.nanoTime() + sendTimeout.toNanos() + 5_000_000_000L;
            for (; waitingFor < acks.size(); waitingFor++) {
                acks.get(waitingFor).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for Kafka acknowledgements", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException tooLarge) {
                throw new ItemRejectedException(waitingFor, "Kafka refused the item as too large: " + tooLarge.getMessage(), tooLarge);
            }
            throw new PublishException("Kafka did not acknowledge every item: " + e.getCause(), e.getCause());
        } catch (TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new PublishException("Kafka did not acknowledge every item in time: " + e, e);
        }
    }

    /**
     * Refuses an item larger than {@code max.request.size}. The UTF-8 bound of its text is cheap; only
     * an item near the limit is serialized to know for sure (the registry answers from its cache).
     */
    private void checkSize(DigestItem item, int index) throws ItemRejectedException, PublishException {
        long bound = RECORD_OVERHEAD_BYTES + 3L * textLength(item);
        if (bound <= maxRequestSize) {
            return;
        }
        int size;
        try {
            size = sizing.serialize(itemsTopic, item).length + item.getItemId().length() + RECORD_OVERHEAD_BYTES;
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new PublishException("could not serialize an item to check its size: " + e.getMessage(), e);
        }
        if (size > maxRequestSize) {
            throw new ItemRejectedException(index, "the item is " + size + " bytes as a Kafka record, over the producer's "
                    + ProducerConfig.MAX_REQUEST_SIZE_CONFIG + " of " + maxRequestSize + " bytes", null);
        }
    }

    /** Characters of text in a record, nested records and lists included; numbers and dates count a fixed 32. */
    private static long textLength(Object value) {
        if (value instanceof CharSequence cs) {
            return cs.length();
        }
        if (value instanceof org.apache.avro.generic.IndexedRecord r) {
            long n = 0;
            for (int i = 0; i < r.getSchema().getFields().size(); i++) {
                n += textLength(r.get(i));
            }
            return n;
        }
        if (value instanceof java.util.Collection<?> c) {
            long n = 0;
            for (Object o : c) {
                n += textLength(o) + 8;
            }
            return n;
        }
        return 32;
    }

    /** Publishes the file's lifecycle event, keyed by its sha256, and waits for the acknowledgement. */
    @Override
    public void publishFileEvent(FileEvent event) throws PublishException {
        try {
            var ack = producer.send(new ProducerRecord<>(filesTopic, event.getSha256(), event));
            // We wait for this one record anyway: send it now rather than after linger.ms (5 ms per file, a third of a small file's time).
            producer.flush();
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
        producer.close(sendTimeout.compareTo(Duration.ofSeconds(10)) < 0 ? sendTimeout : Duration.ofSeconds(10));
        sizing.close();
    }
}
