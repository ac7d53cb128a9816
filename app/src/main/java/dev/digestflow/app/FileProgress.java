package dev.digestflow.app;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.FileStatus;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroDeserializer;
import dev.digestflow.sink.index.ElasticsearchClients;

/**
 * Follows files through the pipeline from the outside, as a user would: the file's lifecycle event
 * on {@code digest.files}, its items on {@code digest.items.raw}, and the documents searchable in
 * Elasticsearch. A processed file is reported once every one of its item ids is searchable, with how
 * many documents came from this file (new) and how many were already there (duplicates).
 */
public final class FileProgress implements AutoCloseable {

    /** One file's outcome. {@code complete} is false when it gave up waiting for ES. */
    public record FileReport(String fileName, String sha256, String format, FileStatus status, int items, int newItems, int duplicates,
            long millisToIndexed, String error, boolean complete) {

        public String line() {
            return switch (status) {
                case PROCESSED -> complete
                        ? String.format(Locale.ROOT, "%-40s %-18s %4d items: %4d new, %4d duplicate · indexed %.1f s after drop", fileName, format, items,
                                newItems, duplicates, millisToIndexed / 1000.0)
                        : String.format(Locale.ROOT, "%-40s %-18s %4d items: only %d searchable after waiting %.0f s (see ./digestflow status and digest.items.dlq)",
                                fileName, format, items, newItems, millisToIndexed / 1000.0);
                case FAILED -> String.format(Locale.ROOT, "%-40s FAILED: %s (moved to failed/ with %s.error.txt)", fileName, error, fileName);
                case SKIPPED -> String.format(Locale.ROOT, "%-40s skipped: %s", fileName, error == null ? "already processed" : error);
            };
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(FileProgress.class);
    private static final Duration GIVE_UP = Duration.ofMinutes(2);

    private final PipelineNames names;
    private final Consumer<FileReport> listener;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ConfluentAvroDeserializer<FileEvent> files;
    private final ConfluentAvroDeserializer<DigestItem> items;
    private final ElasticsearchTransport transport;
    private final ElasticsearchClient es;
    private final Map<String, Set<String>> idsBySha = new HashMap<>();
    private final Map<String, Integer> recordsBySha = new HashMap<>();
    private final Map<String, FileEvent> waiting = new LinkedHashMap<>();
    /** When this view saw each waiting file's event: the give-up clock starts there, not at the drop. */
    private final Map<String, Long> seenAtNanos = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param fromBeginning false: only files dropped from now on */
    public FileProgress(Endpoints endpoints, PipelineNames names, boolean fromBeginning, Consumer<FileReport> listener) {
        this.names = names;
        this.listener = listener;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.CLIENT_ID_CONFIG, "digestflow-progress"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, endpoints.registryUrl());
        this.files = new ConfluentAvroDeserializer<>(FileEvent.class);
        files.configure(serde, false);
        this.items = new ConfluentAvroDeserializer<>(DigestItem.class);
        items.configure(serde, false);
        this.transport = ElasticsearchClients.transport(endpoints.elasticsearchUrl());
        this.es = new ElasticsearchClient(transport);
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(names.files(), names.raw())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(parts);
        if (fromBeginning) {
            consumer.seekToBeginning(parts);
        } else {
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // resolve the end now, before any file is dropped
        }
        this.thread = new Thread(this::run, "digestflow-progress");
        thread.setDaemon(true);
    }

    public FileProgress start() {
        thread.start();
        return this;
    }

    private void run() {
        long nextCheck = 0;
        while (running) {
            try {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    accept(r);
                }
                if (System.nanoTime() >= nextCheck) {
                    checkWaiting();
                    nextCheck = System.nanoTime() + Duration.ofMillis(300).toNanos();
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (RuntimeException | IOException e) {
                LOG.warn("progress view: {}", e.toString());
            }
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            if (r.topic().equals(names.raw())) {
                DigestItem item = items.deserialize(r.topic(), r.headers(), r.value());
                String sha = item.getSource().getSha256();
                idsBySha.computeIfAbsent(sha, k -> new HashSet<>()).add(item.getItemId());
                recordsBySha.merge(sha, 1, Integer::sum);
            } else {
                FileEvent event = files.deserialize(r.topic(), r.headers(), r.value());
                if (event.getStatus() == FileStatus.PROCESSED && event.getItemCount() > 0) {
                    waiting.put(event.getSha256(), event);
                    seenAtNanos.putIfAbsent(event.getSha256(), System.nanoTime());
                } else {
                    listener.accept(new FileReport(event.getFileName(), event.getSha256(), event.getFormat(), event.getStatus(), event.getItemCount(), 0, 0,
                            0, event.getError(), true));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("progress view cannot read {}@{}: {}", r.topic(), r.offset(), e.toString());
        }
    }

    /** What to do with a processed file still being followed. */
    enum Verdict {
        /** Not all of its items are seen or searchable yet, and the wait is not over. */
        WAIT,
        /** Every item record of the file was seen on raw and every one of its ids is searchable. */
        COMPLETE,
        /** The wait is over and something is missing: reported as incomplete. */
        GAVE_UP
    }

    /**
     * The decision, apart from Kafka and ES so that it is unit-tested. Complete needs every announced
     * item record seen (a file whose items were never seen is not complete, however long it waited)
     * and every seen id searchable; {@code waited} counts from when this view saw the file's event,
     * so an event that arrives late (after a Kafka outage) still gets the whole wait.
     */
    static Verdict verdict(int announced, int recordsSeen, int idsSeen, long searchable, Duration waited, Duration giveUp) {
        boolean allSeen = recordsSeen >= announced;
        boolean allSearchable = searchable >= idsSeen;
        if (allSeen && allSearchable) {
            return Verdict.COMPLETE;
        }
        return waited.compareTo(giveUp) < 0 ? Verdict.WAIT : Verdict.GAVE_UP;
    }

    private void checkWaiting() throws IOException {
        for (Iterator<FileEvent> it = waiting.values().iterator(); it.hasNext();) {
            FileEvent event = it.next();
            String sha = event.getSha256();
            Set<String> ids = idsBySha.getOrDefault(sha, Set.of());
            int records = recordsBySha.getOrDefault(sha, 0);
            Duration waited = Duration.ofNanos(System.nanoTime() - seenAtNanos.getOrDefault(sha, System.nanoTime()));
            if (verdict(event.getItemCount(), records, ids.size(), ids.size(), waited, GIVE_UP) == Verdict.WAIT
                    && records < event.getItemCount()) {
                continue; // items still on their way: no need to ask ES yet
            }
            long searchable = ids.isEmpty() ? 0 : es.count(c -> c.index(names.alias()).query(q -> q.ids(i -> i.values(List.copyOf(ids))))).count();
            Verdict verdict = verdict(event.getItemCount(), records, ids.size(), searchable, waited, GIVE_UP);
            if (verdict == Verdict.WAIT) {
                continue;
            }
            long fromThisFile = ids.isEmpty() ? 0 : es.count(c -> c.index(names.alias()).query(q -> q.bool(b -> b
                    .filter(f -> f.ids(i -> i.values(List.copyOf(ids))))
                    .filter(f -> f.term(t -> t.field("source.sha256").value(sha)))))).count();
            it.remove();
            seenAtNanos.remove(sha);
            long sinceDrop = Duration.between(event.getDetectedAt(), Instant.now()).toMillis();
            listener.accept(new FileReport(event.getFileName(), sha, event.getFormat(), FileStatus.PROCESSED, event.getItemCount(), (int) fromThisFile,
                    (int) (searchable - fromThisFile) + (event.getItemCount() - ids.size()),
                    verdict == Verdict.COMPLETE ? sinceDrop : waited.toMillis(), null, verdict == Verdict.COMPLETE));
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        transport.close();
    }
}
