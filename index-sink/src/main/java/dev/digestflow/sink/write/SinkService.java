package dev.digestflow.sink.write;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.service.http.OpsHttpServer;
import dev.digestflow.schema.retry.Backoff;
import dev.digestflow.schema.serde.SchemaRegistryUnavailableException;
import dev.digestflow.service.runtime.ManagedService;
import dev.digestflow.sink.config.SinkConfig;
import dev.digestflow.sink.config.SinkConfig.MalformedPolicy;
import dev.digestflow.sink.config.SinkConfig.Versioning;
import dev.digestflow.sink.document.ItemDocuments;
import dev.digestflow.sink.ops.SinkMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * The sink's worker: one consumer thread reads the tagged stream and hands each record to the
 * {@link BulkWriter} (the client's BulkIngester in the service); bulk callbacks resolve records by {@link FailureClass}; offsets are committed
 * only up to the lowest record not yet resolved (indexed, ignored as a version conflict, or
 * dead-lettered). Retryable failures are re-queued with backoff and never dropped; while too many
 * records wait, the consumer's partitions are paused. A fatal failure stops the worker without
 * committing past the record that caused it, and health turns not-live.
 */
public final class SinkService implements ManagedService {

    private static final Logger LOG = LoggerFactory.getLogger(SinkService.class);
    /** How long a revoke or a shutdown waits for in-flight records before leaving them to be re-read. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);

    private final SinkConfig config;
    private final SinkMetrics metrics;
    private final Consumer<byte[], byte[]> consumer;
    private final KafkaClientMetrics consumerMetrics;
    private final Deserializer<TaggedItem> values;
    private final DeadLetterSink deadLetters;
    private final BulkWriter writer;
    private final ScheduledExecutorService retryScheduler;
    private final Duration drainTimeout;
    private final OffsetTracker tracker = new OffsetTracker();
    private final Backoff backoff;
    private final OutageLog outage;
    private final MalformedPolicy malformedPolicy;
    private final boolean offsetVersioning;
    private final String alias;
    private final String topic;
    private final int bufferMax;
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private final AtomicInteger waitingForRetry = new AtomicInteger();
    /** Operations queued since the last poll that found nothing: flushed when the consumer goes idle. */
    private final AtomicInteger unflushed = new AtomicInteger();
    private final Map<Long, Long> bulkStartNanos = new ConcurrentHashMap<>();
    private final Thread worker;
    private volatile boolean running = true;
    private volatile boolean paused;
    private volatile boolean assigned;
    /** Partitions held at a record whose writer schema the registry could not give: when to read them again. */
    private final Map<TopicPartition, Long> heldForRegistry = new ConcurrentHashMap<>();
    private int registryAttempts;
    private volatile String registryOutage;
    private long nextCommit = System.nanoTime();

    /** The service's worker: its clients built from the config ({@link SinkClients}), writing through the client's BulkIngester. */
    public SinkService(SinkConfig config, ElasticsearchAsyncClient client, MeterRegistry registry) {
        this(config, SinkClients.consumer(config), SinkClients.values(config), listener -> new IngesterBulkWriter(config, client, listener),
                SinkClients.deadLetters(config), registry, DRAIN_TIMEOUT);
    }

    /**
     * The worker with its clients as parameters (as a Connect task takes its client), so that its
     * decisions are unit-tested with Kafka's MockConsumer and a scripted writer.
     *
     * @param writers builds the bulk writer that reports back to the given listener
     * @param drainTimeout how long a revoke or a stop waits for records in flight
     */
    public SinkService(SinkConfig config, Consumer<byte[], byte[]> consumer, Deserializer<TaggedItem> values,
            Function<BulkWriter.Listener, BulkWriter> writers, DeadLetterSink deadLetters, MeterRegistry registry, Duration drainTimeout) {
        this.config = config;
        this.metrics = new SinkMetrics(registry);
        this.alias = config.getString(SinkConfig.INDEX_ALIAS);
        this.topic = config.getString(SinkConfig.TAGGED_TOPIC);
        this.bufferMax = config.getInt(SinkConfig.BUFFER_MAX_RECORDS);
        this.malformedPolicy = config.malformedPolicy();
        this.offsetVersioning = config.versioning() == Versioning.KAFKA_OFFSET;
        this.backoff = new Backoff(config.duration(SinkConfig.RETRY_BACKOFF_INITIAL_MS), config.duration(SinkConfig.RETRY_BACKOFF_MAX_MS), new Random());
        this.outage = new OutageLog(config.duration(SinkConfig.OUTAGE_LOG_INTERVAL_MS), System::nanoTime);
        this.drainTimeout = drainTimeout;
        this.consumer = consumer;
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(registry);
        this.values = values;
        this.deadLetters = deadLetters;
        this.retryScheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "index-sink-retry"));
        this.writer = writers.apply(new Listener());
        metrics.gauge("digestflow.sink.pending.records", "Records read and not yet acknowledged by ES or the DLQ", tracker::pending);
        metrics.gauge("digestflow.sink.retry.waiting", "Records waiting for their retry backoff", waitingForRetry::get);
        metrics.gauge("digestflow.sink.consumer.paused", "1 while backpressure pauses the consumer", () -> paused ? 1 : 0);
        metrics.gauge("digestflow.sink.elasticsearch.up", "0 while ES is unreachable or overloaded", () -> outage.down() ? 0 : 1);
        this.worker = new Thread(this::run, "index-sink-worker");
    }

    @Override
    public void start() {
        worker.start();
    }

    private void run() {
        LOG.info("index-sink consuming {} as group {} into alias {} (bulk {} ops / {} bytes / {} ms, {} concurrent; malformed={}, versioning={})",
                topic, config.getString(SinkConfig.GROUP_ID), alias, config.getInt(SinkConfig.BULK_MAX_OPERATIONS),
                config.getLong(SinkConfig.BULK_MAX_BYTES), config.getLong(SinkConfig.BULK_FLUSH_INTERVAL_MS),
                config.getInt(SinkConfig.BULK_CONCURRENT_REQUESTS), malformedPolicy, config.versioning());
        try {
            subscribe();
            while (running && fatal.get() == null) {
                pollOnce();
            }
        } catch (WakeupException e) {
            // close() woke the poll up.
        } catch (RuntimeException | Error e) {
            fail("consumer loop failed: " + e, e);
        } finally {
            shutdown();
        }
    }

    /** Subscribes, with the rebalance listener that drains and commits on revoke. */
    void subscribe() {
        consumer.subscribe(List.of(topic), new Rebalance());
    }

    /** One turn of the loop: poll, hand each record to the writer, backpressure, the commit when due, lag. */
    void pollOnce() {
        releaseHeldPartitions();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty() && unflushed.getAndSet(0) > 0) {
            // Nothing more to read now: send what is queued at once rather than when bulk.flush.interval.ms runs out
            // (up to a second of latency at low rates). Under load polls are never empty and bulks stay full.
            writer.flush();
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (fatal.get() != null) {
                break;
            }
            if (heldForRegistry.containsKey(new TopicPartition(record.topic(), record.partition()))) {
                continue; // read again from the held record once the partition resumes
            }
            handle(record);
        }
        applyBackpressure();
        if (System.nanoTime() >= nextCommit) {
            commit(false);
            nextCommit = System.nanoTime() + config.getLong(SinkConfig.COMMIT_INTERVAL_MS) * 1_000_000L;
        }
        updateLag();
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        PendingRecord bare = PendingRecord.of(record, null, null);
        tracker.track(bare.partition(), bare.offset());
        if (record.value() == null) {
            deadLetter(bare, "index-sink.tombstone", "Tombstone", "null value (tombstone): the tagged stream carries no deletes", null, "tombstone");
            return;
        }
        TaggedItem item;
        try {
            item = values.deserialize(record.topic(), record.headers(), record.value());
        } catch (SchemaRegistryUnavailableException e) {
            holdForRegistry(record, e);
            return;
        } catch (RuntimeException e) {
            deadLetter(bare, "index-sink.deserialize", e.getClass().getName(), e.getMessage(), null, "deserialize");
            return;
        }
        BulkOperation operation;
        String itemId = item.getItem() == null ? null : item.getItem().getItemId();
        try {
            operation = ItemDocuments.toOperation(item, alias, offsetVersioning ? record.offset() : null, Instant.now());
        } catch (RuntimeException e) {
            deadLetter(PendingRecord.of(record, itemId, null), "index-sink.convert", e.getClass().getName(), e.getMessage(), null, "convert");
            return;
        }
        if (registryOutage != null) {
            LOG.info("schema registry answers again; resuming after {} attempts", registryAttempts);
            registryOutage = null;
        }
        registryAttempts = 0;
        writer.add(operation, PendingRecord.of(record, itemId, operation));
        unflushed.incrementAndGet();
    }

    /**
     * The record is fine but its writer schema cannot be fetched now: it is never dead-lettered. Its
     * partition is rewound to it and paused, and read again after a backoff; no commit passes it.
     */
    private void holdForRegistry(ConsumerRecord<byte[], byte[]> record, SchemaRegistryUnavailableException e) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        tracker.rewind(tp, record.offset());
        consumer.seek(tp, record.offset());
        consumer.pause(List.of(tp));
        Duration delay = backoff.delay(registryAttempts++);
        heldForRegistry.put(tp, System.nanoTime() + delay.toNanos());
        metrics.retries("schema_registry", 1);
        if (registryOutage == null) {
            registryOutage = "schema registry unavailable since " + Instant.now() + ": " + e.getMessage();
        }
        LOG.warn("schema registry unavailable: {} is held at offset {} and read again in {} ms (attempt {}); nothing is dead-lettered for this: {}",
                tp, record.offset(), delay.toMillis(), registryAttempts, e.getMessage());
    }

    /** Resumes the held partitions whose backoff is over (unless backpressure pauses everything). */
    private void releaseHeldPartitions() {
        long now = System.nanoTime();
        List<TopicPartition> due = new ArrayList<>();
        heldForRegistry.forEach((tp, at) -> {
            if (now - at >= 0) {
                due.add(tp);
            }
        });
        due.forEach(heldForRegistry::remove);
        due.retainAll(consumer.assignment());
        if (!paused && !due.isEmpty()) {
            consumer.resume(due);
        }
    }

    /** Pause every assigned partition while too many records wait; resume below half of the limit. */
    private void applyBackpressure() {
        int pending = tracker.pending();
        if (!paused && pending >= bufferMax) {
            consumer.pause(consumer.assignment());
            paused = true;
            LOG.info("backpressure: {} records wait for Elasticsearch (limit {}); consumer paused", pending, bufferMax);
        } else if (paused && pending <= bufferMax / 2) {
            List<TopicPartition> resumable = new ArrayList<>(consumer.paused());
            resumable.removeAll(heldForRegistry.keySet());
            consumer.resume(resumable);
            paused = false;
            LOG.info("backpressure released: {} records wait; consumer resumed", pending);
        }
    }

    private void commit(boolean sync) {
        commit(sync, List.of());
    }

    /**
     * Commits the lowest unresolved offset of each owned partition. {@code revoking} are owned until the
     * revoke returns, whatever the consumer's assignment already says (MockConsumer updates it first).
     */
    private void commit(boolean sync, Collection<TopicPartition> revoking) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        var assignment = consumer.assignment();
        tracker.takeCommittable().forEach((tp, offset) -> {
            if (assignment.contains(tp) || revoking.contains(tp)) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            try {
                try {
                    consumer.commitSync(offsets, Duration.ofSeconds(30));
                } catch (WakeupException e) {
                    // close() raced with the last poll; the wake-up is spent now, so the commit can go through.
                    consumer.commitSync(offsets, Duration.ofSeconds(30));
                }
            } catch (KafkaException e) {
                tracker.commitFailed(offsets.keySet());
                LOG.warn("offset commit failed (the records will be re-read and overwrite themselves): {}", e.toString());
            }
        } else {
            consumer.commitAsync(offsets, (done, e) -> {
                if (e != null) {
                    tracker.commitFailed(offsets.keySet());
                    LOG.warn("offset commit failed; retrying with the next commit: {}", e.toString());
                }
            });
        }
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                total += lag.getAsLong();
            }
        }
        metrics.lag(total);
    }

    private void deadLetter(PendingRecord record, String stage, String exceptionClass, String message, DeadLetterWriter.EsError es, String reason) {
        LOG.atWarn().addKeyValue("stage", stage).addKeyValue("record", record.describe()).addKeyValue("exception", exceptionClass)
                .log("dead-lettering {} to {}: {}", record.describe(), deadLetters.topic(), message);
        deadLetters.send(record, stage, exceptionClass, message, es).whenComplete((v, e) -> {
            if (e == null) {
                metrics.deadLettered(reason);
                tracker.resolve(record.partition(), record.offset());
            } else {
                fail("cannot write the dead letter for " + record.describe() + " to " + deadLetters.topic() + ": " + e, e);
            }
        });
    }

    private void scheduleRetry(List<PendingRecord> records, String cause) {
        int attempt = records.stream().mapToInt(PendingRecord::attempt).max().orElse(0);
        Duration delay = backoff.delay(attempt);
        metrics.retries(cause, records.size());
        waitingForRetry.addAndGet(records.size());
        try {
            retryScheduler.schedule(() -> {
                waitingForRetry.addAndGet(-records.size());
                for (PendingRecord r : records) {
                    // A partition revoked meanwhile belongs to another instance, which re-reads it.
                    if (running && tracker.isTracked(r.partition(), r.offset())) {
                        writer.add(r.operation(), r.nextAttempt());
                        unflushed.incrementAndGet();
                    }
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down: the records stay uncommitted and are re-read on the next start.
            waitingForRetry.addAndGet(-records.size());
        }
    }

    private void fail(String message, Throwable cause) {
        if (fatal.compareAndSet(null, message)) {
            LOG.error("index-sink stops, committing nothing past the failed record: {}", message, cause);
        }
    }

    /** Resolves, retries, dead-letters or fails each record by {@link BulkDecision}. */
    private final class Listener implements BulkWriter.Listener {

        @Override
        public void beforeBulk(long executionId) {
            bulkStartNanos.put(executionId, System.nanoTime());
        }

        @Override
        public void afterBulk(long executionId, List<PendingRecord> contexts, List<BulkResponseItem> items) {
            long nanos = System.nanoTime() - bulkStartNanos.getOrDefault(executionId, System.nanoTime());
            bulkStartNanos.remove(executionId);
            List<PendingRecord> retry = new ArrayList<>();
            String retryReason = null;
            int ok = 0;
            int conflicts = 0;
            boolean errors = false;
            for (int i = 0; i < contexts.size(); i++) {
                PendingRecord record = contexts.get(i);
                BulkResponseItem item = items.get(i);
                ErrorCause error = item.error();
                errors |= error != null;
                switch (BulkDecision.of(item.status(), error == null ? null : error.type(), malformedPolicy)) {
                    case INDEXED -> {
                        ok++;
                        tracker.resolve(record.partition(), record.offset());
                    }
                    case CONFLICT_IGNORED -> {
                        conflicts++;
                        tracker.resolve(record.partition(), record.offset());
                    }
                    case RETRY -> {
                        retry.add(record);
                        retryReason = item.status() + " " + (error == null ? "" : error.type() + ": " + error.reason());
                    }
                    case DEAD_LETTER -> {
                        String reason = describe(error);
                        deadLetter(record, "index-sink.elasticsearch", "ElasticsearchRejected", reason,
                                new DeadLetterWriter.EsError(item.status(), error.type(), reason, item.index()), "malformed");
                    }
                    case SKIP -> {
                        LOG.atWarn().addKeyValue("record", record.describe()).addKeyValue("es.error.type", error.type())
                                .log("skipping malformed document {} (malformed.policy=warn): {}", record.describe(), describe(error));
                        metrics.malformedSkipped();
                        tracker.resolve(record.partition(), record.offset());
                    }
                    case FAIL -> fail(FailureClass.ofItem(item.status(), error == null ? null : error.type()) == FailureClass.MALFORMED
                            ? "Elasticsearch rejected " + record.describe() + " as malformed (malformed.policy=fail): " + describe(error)
                            : "Elasticsearch rejected " + record.describe() + " with " + item.status() + " " + describe(error)
                                    + "; this is not retryable and not a malformed document (policy " + malformedPolicy + ")", null);
                }
            }
            metrics.indexed(ok);
            metrics.conflicts(conflicts);
            metrics.bulk(errors ? "partial" : "ok", nanos, contexts.size());
            if (retry.isEmpty()) {
                outage.success();
            } else {
                outage.failure(retry.size() + " items rejected with " + retryReason, tracker.pending());
                scheduleRetry(retry, "item");
            }
        }

        @Override
        public void afterBulk(long executionId, List<PendingRecord> contexts, Throwable failure) {
            long nanos = System.nanoTime() - bulkStartNanos.getOrDefault(executionId, System.nanoTime());
            bulkStartNanos.remove(executionId);
            metrics.bulk("failed", nanos, contexts.size());
            if (BulkDecision.ofRequest(failure) == BulkDecision.RETRY) {
                outage.failure(String.valueOf(failure), tracker.pending());
                scheduleRetry(contexts, "request");
            } else {
                fail("bulk request of " + contexts.size() + " operations failed (first " + (contexts.isEmpty() ? "-" : contexts.get(0).describe())
                        + ", HTTP status " + FailureClass.statusOf(failure) + "): " + failure, failure);
            }
        }
    }

    /** "type: reason (caused by type: reason)". */
    static String describe(ErrorCause error) {
        if (error == null) {
            return "(no error)";
        }
        StringBuilder s = new StringBuilder().append(error.type()).append(": ").append(error.reason());
        for (ErrorCause c = error.causedBy(); c != null; c = c.causedBy()) {
            s.append(" (caused by ").append(c.type()).append(": ").append(c.reason()).append(')');
        }
        return s.toString();
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            writer.flush();
            boolean drained;
            try {
                drained = tracker.awaitDrained(partitions, drainTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                drained = false;
            }
            commit(true, partitions);
            partitions.forEach(tracker::forget);
            partitions.forEach(heldForRegistry::remove);
            if (!drained) {
                LOG.warn("partitions {} revoked while records were still unacknowledged; the next owner re-reads them (same ids, no duplicates)",
                        partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(tracker::forget);
            partitions.forEach(heldForRegistry::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = !consumer.assignment().isEmpty();
            if (paused) {
                consumer.pause(partitions);
            }
            LOG.info("assigned {}", partitions);
        }
    }

    private void shutdown() {
        try {
            if (fatal.get() == null) {
                writer.flush();
                if (!tracker.awaitDrained(null, drainTimeout)) {
                    LOG.warn("stopping with {} records not acknowledged by Elasticsearch; they stay uncommitted and are re-read on start",
                            tracker.pending());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running = false;
            retryScheduler.shutdownNow();
            try {
                writer.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the bulk writer: {}", e.toString());
            }
            commit(true);
            consumer.close(Duration.ofSeconds(10));
            consumerMetrics.close();
            deadLetters.close();
            LOG.info("index-sink stopped; {} documents indexed in this run", (long) metrics.indexedCount());
        }
    }

    /** Live until a fatal failure stops the worker; ready while ES and the registry are reachable and partitions are assigned. */
    @Override
    public OpsHttpServer.Health health() {
        String failure = fatal.get();
        boolean live = failure == null && (worker.isAlive() || worker.getState() == Thread.State.NEW);
        String registry = registryOutage;
        boolean ready = live && assigned && !outage.down() && registry == null;
        String detail = failure != null ? "stopped: " + failure
                : registry != null ? registry + "; partitions " + heldForRegistry.keySet() + " held, nothing dead-lettered"
                : outage.down() ? "elasticsearch unavailable: " + outage.lastCause() + "; " + tracker.pending() + " records wait"
                : "indexing; " + tracker.pending() + " records in flight" + (paused ? ", consumer paused" : "");
        return new OpsHttpServer.Health(live, ready, detail);
    }

    /** The fatal failure that stopped the worker, if any. */
    @Override
    public Throwable failure() {
        String reason = fatal.get();
        return reason == null ? null : new IllegalStateException(reason);
    }

    public SinkMetrics metrics() {
        return metrics;
    }

    /** Waits until the worker has stopped (after close() or a fatal failure). */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        worker.join(timeout.toMillis());
        return !worker.isAlive();
    }

    @Override
    public void close() {
        running = false;
        if (worker.getState() == Thread.State.NEW) {
            shutdown();
            return;
        }
        consumer.wakeup();
        try {
            if (!awaitStopped(Duration.ofSeconds(60))) {
                LOG.warn("the worker did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
