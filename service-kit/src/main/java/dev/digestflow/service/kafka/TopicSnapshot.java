package dev.digestflow.service.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a topic holds right now, read from the outside: every record up to the end offsets taken at
 * the start, and how far a consumer group's commits are behind those ends. Used by
 * {@code ./digestflow status} and by the integration tests, which check the same things.
 */
public final class TopicSnapshot {

    private TopicSnapshot() {
    }

    /**
     * What one read of a topic got: its records, and whether it reached the end offsets taken at the
     * start. An incomplete read (the timeout came first) says how many offsets were left, so that a
     * count built on it is shown as partial instead of passing for the whole.
     */
    public record Contents<K, V>(String topic, List<ConsumerRecord<K, V>> records, long offsetsLeft, Duration timeout) {

        public boolean complete() {
            return offsetsLeft == 0;
        }

        /** "" when complete, else a sentence for the user. */
        public String partialNote() {
            return complete() ? "" : String.format(java.util.Locale.ROOT, "%s: read %d records, %d offsets still unread after %d s; its counts are lower bounds",
                    topic, records.size(), offsetsLeft, timeout.toSeconds());
        }
    }

    /**
     * Assigns all partitions of the topic to the consumer and reads from the beginning to the end
     * offsets as they were when called, or until the timeout. With read_committed, the ends are the
     * last stable offsets.
     */
    public static <K, V> Contents<K, V> read(Consumer<K, V> consumer, String topic, Duration timeout) {
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(15)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts);
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        long left = parts.stream().mapToLong(tp -> Math.max(0, end.get(tp) - consumer.position(tp))).sum();
        return new Contents<>(topic, out, left, timeout);
    }

    /** {@link #read}, for callers that need the whole topic: an incomplete read is an error, never a short list. */
    public static <K, V> List<ConsumerRecord<K, V>> readAll(Consumer<K, V> consumer, String topic, Duration timeout) {
        Contents<K, V> contents = read(consumer, topic, timeout);
        if (!contents.complete()) {
            throw new IllegalStateException("incomplete read of " + contents.partialNote());
        }
        return contents.records();
    }

    /** Records between the group's committed offsets (0 where none) and the end of every partition of the topic. */
    public static long committedLag(String bootstrapServers, Map<String, Object> clientSettings, String group, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> props = new HashMap<>(clientSettings);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            return committedLag(admin, group, topic);
        }
    }

    /**
     * As {@link #committedLag(String, Map, String, String)}, with an admin client the caller keeps: a
     * loop that polls the lag should not open a client per poll (the bench's profile showed a new
     * admin client every 56 ms, its start-up charged to the stage it measured).
     */
    public static long committedLag(Admin admin, String group, String topic) throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        var parts = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        parts.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        long lag = 0;
        for (var e : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }
}
