package dev.digestflow.sink.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.SourceRef;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.schema.serde.SchemaRegistryUnavailableException;
import dev.digestflow.sink.config.SinkConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The worker's decisions without Kafka or Elasticsearch: Kafka's MockConsumer for the consumer, a
 * scripted {@link BulkWriter} that answers as ES would, a list for the DLQ. The test drives the loop
 * one turn at a time ({@code pollOnce}). What these show only as logic is shown against the real
 * broker and ES node by IndexSinkIT.
 */
class SinkServiceTest {

    private static final String TOPIC = "digest.items.tagged";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    private final RecordingConsumer consumer = new RecordingConsumer();
    private final ScriptedWriter writer = new ScriptedWriter();
    private final ListDlq dlq = new ListDlq();
    private SinkService sink;

    /** Bytes are the title; the "deserializer" builds the item from them. */
    private static final Deserializer<TaggedItem> VALUES = (topic, bytes) -> tagged(new String(bytes, StandardCharsets.UTF_8));

    static TaggedItem tagged(String title) {
        DigestItem item = DigestItem.newBuilder().setItemId(ItemIds.of(title)).setTitle(title).setSummary("s").setAuthors(List.of())
                .setSource(SourceRef.newBuilder().setFile("f.txt").setSha256("ab".repeat(32)).setFormat("markdown").setOrdinal(0).setLine(1).build())
                .setIngestedAt(java.time.Instant.parse("2025-12-09T12:00:00Z")).build();
        return TaggedItem.newBuilder().setItem(item).setTags(List.of("agents")).setExplanations(List.of())
                .setFirstSeenAt(java.time.Instant.parse("2025-12-09T12:00:01Z")).setTaggedAt(java.time.Instant.parse("2025-12-09T12:00:02Z")).build();
    }

    private SinkService sink(Map<String, Object> overrides, Duration drainTimeout) {
        return sink(overrides, drainTimeout, VALUES);
    }

    private SinkService sink(Map<String, Object> overrides, Duration drainTimeout, Deserializer<TaggedItem> values) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(SinkConfig.SCHEMA_REGISTRY_URL, "mock://sink-worker-test");
        settings.put(SinkConfig.COMMIT_INTERVAL_MS, 10L);
        settings.put(SinkConfig.RETRY_BACKOFF_INITIAL_MS, 5L);
        settings.put(SinkConfig.RETRY_BACKOFF_MAX_MS, 10L);
        settings.putAll(overrides);
        sink = new SinkService(new SinkConfig(settings), consumer, values, listener -> {
            writer.listener = listener;
            return writer;
        }, dlq, new SimpleMeterRegistry(), drainTimeout);
        sink.subscribe();
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.rebalance(List.of(TP));
        return sink;
    }

    @AfterEach
    void close() {
        if (sink != null) {
            sink.close();
        }
    }

    private void records(int from, int to) {
        for (int offset = from; offset < to; offset++) {
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, ("k" + offset).getBytes(StandardCharsets.UTF_8),
                    ("Item number " + offset).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The last offset the worker committed for the partition (MockConsumer itself resets its view on a rebalance). */
    private Long committed() {
        return consumer.lastCommitted.get(TP);
    }

    /** Kafka's MockConsumer, remembering every commit the worker makes. */
    static final class RecordingConsumer extends MockConsumer<byte[], byte[]> {
        final Map<TopicPartition, Long> lastCommitted = new java.util.concurrent.ConcurrentHashMap<>();

        RecordingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, org.apache.kafka.clients.consumer.OffsetCommitCallback callback) {
            offsets.forEach((tp, o) -> lastCommitted.put(tp, o.offset()));
            super.commitAsync(offsets, callback);
        }
    }

    /** Turns the loop until the commit reaches the offset (the commit runs every commit.interval.ms). */
    private void awaitCommitted(long offset) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            sink.pollOnce();
            return committed() != null && committed() == offset;
        });
    }

    static BulkResponseItem ok() {
        return BulkResponseItem.of(b -> b.operationType(OperationType.Index).index("digest-items-000001").status(201));
    }

    static BulkResponseItem error(int status, String type) {
        return BulkResponseItem.of(b -> b.operationType(OperationType.Index).index("digest-items-000001").status(status)
                .error(e -> e.type(type).reason("a " + type + " for the test")));
    }

    /** Low rates: what is queued goes out when the consumer finds nothing more, not a flush interval later; an idle sink sends nothing. */
    @Test
    void queuedDocumentsAreFlushedWhenTheConsumerGoesIdle() {
        sink(Map.of(SinkConfig.BULK_FLUSH_INTERVAL_MS, 60_000L), Duration.ofSeconds(5));
        for (int i = 0; i < 5; i++) {
            sink.pollOnce();
        }
        assertThat(writer.flushes.get()).as("nothing queued, nothing flushed").isZero();
        records(0, 3);
        sink.pollOnce();
        assertThat(writer.queued).hasSize(3);
        assertThat(writer.flushes.get()).as("records were read: the poll was not idle").isZero();
        sink.pollOnce();
        assertThat(writer.flushes.get()).as("the next poll found nothing: flushed at once").isEqualTo(1);
        sink.pollOnce();
        assertThat(writer.flushes.get()).as("flushed once, not on every idle poll").isEqualTo(1);
    }

    @Test
    void aCommitNeverPassesAnUnresolvedRecordAndARetryResolvesIt() {
        sink(Map.of(), Duration.ofSeconds(5));
        records(0, 5);
        sink.pollOnce();
        assertThat(writer.queued).hasSize(5);
        writer.answer(r -> r.offset() == 2 ? error(429, "es_rejected_execution_exception") : ok());
        awaitCommitted(2);
        // The worker never commits past offset 2 while it waits: keep turning and look again.
        for (int i = 0; i < 5; i++) {
            sink.pollOnce();
        }
        assertThat(committed()).isLessThanOrEqualTo(2L);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued.size() == 1);
        assertThat(writer.queued.get(0).offset()).isEqualTo(2);
        assertThat(writer.queued.get(0).attempt()).isEqualTo(1);
        writer.answer(r -> ok());
        awaitCommitted(5);
        assertThat(dlq.sent).isEmpty();
    }

    /**
     * A record whose writer schema the registry cannot give now is fine: it is held, never
     * dead-lettered. Its partition is rewound to it and paused, the commit stops before it, readiness
     * is down; once the registry answers, the same record is read again and indexed.
     */
    @Test
    void aRegistryOutageHoldsThePartitionAtTheRecordAndNeverDeadLettersIt() {
        java.util.concurrent.atomic.AtomicBoolean registryDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        sink(Map.of(), Duration.ofSeconds(5), (topic, bytes) -> {
            String title = new String(bytes, StandardCharsets.UTF_8);
            if (registryDown.get() && title.compareTo("Item number 2") >= 0) {
                throw new SchemaRegistryUnavailableException("schema registry http://127.0.0.1:1 unreachable", null);
            }
            return tagged(title);
        });
        records(0, 5);
        sink.pollOnce();
        assertThat(writer.queued).extracting(PendingRecord::offset).containsExactly(0L, 1L);
        assertThat(consumer.paused()).containsExactly(TP);
        assertThat(consumer.position(TP)).isEqualTo(2);
        assertThat(sink.health().ready()).isFalse();
        assertThat(sink.health().live()).isTrue();
        assertThat(sink.health().detail()).contains("schema registry unavailable").contains("nothing dead-lettered");
        writer.answer(r -> ok());
        awaitCommitted(2);
        // The broker delivers the held records again after the seek; the registry is still down.
        records(2, 5);
        for (int i = 0; i < 20; i++) {
            sink.pollOnce();
        }
        assertThat(committed()).isEqualTo(2L);
        assertThat(dlq.sent).isEmpty();

        registryDown.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            sink.pollOnce();
            return consumer.paused().isEmpty();
        });
        records(2, 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            sink.pollOnce();
            return writer.queued.size() == 3;
        });
        writer.answer(r -> ok());
        awaitCommitted(5);
        assertThat(dlq.sent).isEmpty();
        assertThat(sink.health().ready()).isTrue();
    }

    @Test
    void theConsumerPausesWhileTooManyRecordsWaitAndResumesBelowHalf() {
        sink(Map.of(SinkConfig.BULK_MAX_OPERATIONS, 2, SinkConfig.BUFFER_MAX_RECORDS, 4), Duration.ofSeconds(5));
        records(0, 6);
        sink.pollOnce();
        assertThat(consumer.paused()).containsExactly(TP);
        assertThat(sink.health().detail()).contains("consumer paused");
        writer.answer(4, r -> ok());
        sink.pollOnce();
        assertThat(consumer.paused()).as("2 waiting, at half of 4").isEmpty();
        writer.answer(r -> ok());
        awaitCommitted(6);
    }

    @Test
    void theFailPolicyStopsTheWorkerWithoutCommittingPastTheBadDocument() {
        sink(Map.of(SinkConfig.MALFORMED_POLICY, "fail"), Duration.ofSeconds(5));
        records(0, 3);
        sink.pollOnce();
        writer.answer(r -> r.offset() == 1 ? error(400, "document_parsing_exception") : ok());
        assertThat(sink.failure()).isNotNull();
        assertThat(sink.failure().getMessage()).contains("malformed.policy=fail").contains("document_parsing_exception");
        assertThat(sink.health().live()).isFalse();
        awaitCommitted(1);
        assertThat(dlq.sent).isEmpty();
    }

    @Test
    void aMalformedDocumentIsDeadLetteredWithEsReasonAndThenCommittedPast() {
        sink(Map.of(), Duration.ofSeconds(5));
        records(0, 3);
        sink.pollOnce();
        writer.answer(r -> r.offset() == 1 ? error(400, "document_parsing_exception") : ok());
        awaitCommitted(3);
        assertThat(dlq.sent).singleElement().satisfies(d -> {
            assertThat(d.record().offset()).isEqualTo(1);
            assertThat(d.stage()).isEqualTo("index-sink.elasticsearch");
            assertThat(d.es().type()).isEqualTo("document_parsing_exception");
            assertThat(d.es().status()).isEqualTo(400);
        });
        assertThat(sink.failure()).isNull();
    }

    /**
     * A record waiting for its retry when its partition is revoked belongs to the next owner: the
     * revoke commits nothing past it, and the retry that fires afterwards does not send it again here.
     */
    @Test
    void aRetryPendingAcrossARevokeIsLeftToTheNextOwner() {
        // The retry fires 0.5 to 1 s after the answer, after the revoke (which waits 200 ms for the drain).
        sink(Map.of(SinkConfig.RETRY_BACKOFF_INITIAL_MS, 1000L, SinkConfig.RETRY_BACKOFF_MAX_MS, 1000L), Duration.ofMillis(200));
        records(0, 3);
        sink.pollOnce();
        writer.answer(r -> r.offset() == 1 ? error(503, "unavailable_shards_exception") : ok());
        consumer.rebalance(List.of()); // revoked: drains (up to 200 ms), commits what is resolved, forgets the rest
        assertThat(committed()).isEqualTo(1L);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(4)).until(() -> writer.queued.isEmpty());
        consumer.rebalance(List.of(TP));
        assertThat(committed()).as("nothing passed the record left to the next owner").isEqualTo(1L);
    }

    /** Answers queued operations as Elasticsearch would, when the test says so. */
    static final class ScriptedWriter implements BulkWriter {
        BulkWriter.Listener listener;
        final List<PendingRecord> queued = new ArrayList<>();
        private long executions;

        @Override
        public synchronized void add(BulkOperation operation, PendingRecord record) {
            queued.add(record);
        }

        final java.util.concurrent.atomic.AtomicInteger flushes = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }

        @Override
        public void close() {
        }

        void answer(Function<PendingRecord, BulkResponseItem> answer) {
            answer(Integer.MAX_VALUE, answer);
        }

        void answer(int count, Function<PendingRecord, BulkResponseItem> answer) {
            List<PendingRecord> batch;
            synchronized (this) {
                batch = new ArrayList<>(queued.subList(0, Math.min(count, queued.size())));
                queued.subList(0, batch.size()).clear();
            }
            long id = ++executions;
            listener.beforeBulk(id);
            listener.afterBulk(id, batch, batch.stream().map(answer).toList());
        }
    }

    record DeadLetter(PendingRecord record, String stage, String exceptionClass, String message, DeadLetterWriter.EsError es) {
    }

    static final class ListDlq implements DeadLetterSink {
        final List<DeadLetter> sent = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<Void> send(PendingRecord record, String stage, String exceptionClass, String message,
                DeadLetterWriter.EsError es) {
            sent.add(new DeadLetter(record, stage, exceptionClass, message, es));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String topic() {
            return "digest.items.dlq";
        }

        @Override
        public void close() {
        }
    }
}
