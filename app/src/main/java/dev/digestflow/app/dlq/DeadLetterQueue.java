package dev.digestflow.app.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.digestflow.service.kafka.TopicSnapshot;

/**
 * Reads the dead-letter topic and re-publishes chosen dead letters to the topic they came from, once
 * their cause is fixed. A re-published record is an ordinary record there: a raw item goes through
 * enrich-streams' dedup like any other (so replaying twice, or replaying an item that made it after
 * all, adds nothing), and a tagged item is written to its document by id. Each carries
 * {@value DeadLetter#REPLAYED_FROM_HEADER} naming the dead letter, so its origin stays readable.
 *
 * <p>Takes its Kafka clients as parameters: the CLI ({@code ./digestflow dlq}) and the console share
 * it, and the decisions are unit-tested with mock clients.
 */
public final class DeadLetterQueue {

    /** What is on the topic now; {@code partialNote} says what could not be read in time (null when complete). */
    public record Listing(List<DeadLetter> letters, String partialNote) {
    }

    /** @param replayed the dead letters written back to their topics; @param refused each one left alone, with why */
    public record Replay(List<DeadLetter> replayed, Map<String, String> refused, boolean dryRun) {

        public String render() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(java.util.Locale.ROOT, "%s %d dead letter%s%n", dryRun ? "would replay" : "replayed", replayed.size(),
                    replayed.size() == 1 ? "" : "s"));
            for (DeadLetter d : replayed) {
                s.append(String.format(java.util.Locale.ROOT, "  %-10s %-32s -> %s   item %s%n", d.coordinates(), d.stage(), d.originalTopic(), d.itemId()));
            }
            refused.forEach((coordinates, why) -> s.append(String.format(java.util.Locale.ROOT, "  not replayed %s: %s%n", coordinates, why)));
            return s.toString();
        }
    }

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    private final String topic;

    public DeadLetterQueue(String topic) {
        this.topic = topic;
    }

    /** The consumer a listing reads with: read_committed (what a subscriber sees), no group (the snapshot assigns). */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String clientId) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The producer a replay writes with: acks=all and idempotent, so a retried send lands once. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers, String clientId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer());
    }

    public String topic() {
        return topic;
    }

    public Listing list(Consumer<byte[], byte[]> consumer, Duration timeout) {
        TopicSnapshot.Contents<byte[], byte[]> contents = TopicSnapshot.read(consumer, topic, timeout);
        List<DeadLetter> letters = new ArrayList<>();
        contents.records().forEach(r -> letters.add(DeadLetter.of(r)));
        return new Listing(letters, contents.complete() ? null : contents.partialNote());
    }

    /**
     * Re-publishes the chosen dead letters (each once, in DLQ order) and waits until Kafka has
     * acknowledged every one; a send that fails is an exception, never a silent loss.
     */
    public Replay replay(Producer<byte[], byte[]> producer, List<DeadLetter> chosen, boolean dryRun) throws InterruptedException {
        List<DeadLetter> replayed = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (DeadLetter d : chosen) {
            String why = d.notReplayableBecause();
            if (why != null) {
                refused.put(d.coordinates(), why);
                continue;
            }
            replayed.add(d);
            if (!dryRun) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(DeadLetter.REPLAYED_FROM_HEADER, (topic + "/" + d.coordinates()).getBytes(StandardCharsets.UTF_8));
                sends.add(producer.send(new ProducerRecord<>(d.originalTopic(), null, d.keyBytes(), d.value(), headers)));
            }
        }
        producer.flush();
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                throw new IllegalStateException("replaying dead letter " + replayed.get(i).coordinates() + " to " + replayed.get(i).originalTopic()
                        + " failed after " + i + " of " + sends.size() + " were written (re-running the replay is safe: dedup and document ids absorb repeats): "
                        + cause, cause);
            }
        }
        return new Replay(replayed, refused, dryRun);
    }

    /** The dead letters a filter picks: by stage (a prefix, e.g. {@code index-sink}) and item id (or {@code partition@offset}). */
    public static List<DeadLetter> select(List<DeadLetter> letters, String stagePrefix, String id) {
        return letters.stream().filter(d -> d.matches(stagePrefix, id)).toList();
    }
}
