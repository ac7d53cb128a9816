package dev.digestflow.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.app.dlq.DeadLetter;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.FileStatus;
import dev.digestflow.schema.dlq.DeadLetterHeaders;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroDeserializer;
import dev.digestflow.service.kafka.TopicSnapshot;
import dev.digestflow.sink.index.ElasticsearchClients;

/**
 * Counts for every stage, read from the topics and the index themselves (not from any service's
 * memory), and the reconciliation of each hand-over. Everything is counted by identity, not by event,
 * so that a harmless republish (a file retried after a crash, a record written twice under
 * at-least-once) is not a false alarm and a retried file does not count twice:
 * <ul>
 * <li><b>ingest</b>: the items announced by the distinct processed files (by sha256) = the distinct
 * (file sha256, ordinal) pairs of those files on the raw topic;</li>
 * <li><b>enrich</b>: every distinct item id on the raw topic is tagged or dead-lettered by
 * enrich-streams, and the tagged topic holds each id once;</li>
 * <li><b>sink</b>: the distinct tagged ids = documents in Elasticsearch + ids dead-lettered by
 * index-sink.</li>
 * </ul>
 * A topic that could not be read to its end within the timeout makes the report partial, and it says so.
 */
public record StatusReport(Files files, Items items, long dlqRecords, long indexed, Map<String, Long> topTags, Map<String, Long> taxonomyVersions,
        Map<String, int[]> retagChanges, List<String> partial) {

    /** Distinct files by outcome (processed by sha256, failed by sha256 and name), and every skip event (each is a drop). */
    public record Files(long processed, long failed, long skipped, long events) {
    }

    /**
     * @param announced items announced by the distinct processed files
     * @param published distinct (sha256, ordinal) of those files found on the raw topic
     * @param rawRecords records on the raw topic
     * @param rawIds distinct item ids (keys) on the raw topic
     * @param taggedRecords records on the tagged topic
     * @param taggedIds distinct item ids on the tagged topic
     * @param deadInEnrich distinct item ids dead-lettered by enrich-streams
     * @param missingAfterEnrich raw item ids neither tagged nor dead-lettered by enrich
     * @param deadInSink distinct tagged item ids dead-lettered by index-sink
     * @param retaggedRecords records {@code ./digestflow retag} wrote on the tagged topic (new versions of items, not new items)
     * @param replayedRecords records {@code ./digestflow dlq replay} wrote again on the tagged topic for items already there
     *        (a dead letter of the sink, sent back to it: the same item, not a second one)
     */
    public record Items(long announced, long published, long rawRecords, long rawIds, long taggedRecords, long taggedIds, long deadInEnrich,
            long missingAfterEnrich, long deadInSink, long retaggedRecords, long replayedRecords) {
    }

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    public static StatusReport collect(Endpoints endpoints, PipelineNames names) throws IOException {
        Map<String, Object> consumerProps = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.CLIENT_ID_CONFIG, "digestflow-status");
        Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, endpoints.registryUrl());
        ConfluentAvroDeserializer<FileEvent> fileEvents = new ConfluentAvroDeserializer<>(FileEvent.class);
        fileEvents.configure(serde, false);
        ConfluentAvroDeserializer<DigestItem> rawItems = new ConfluentAvroDeserializer<>(DigestItem.class);
        rawItems.configure(serde, false);
        List<String> partial = new ArrayList<>();

        Set<String> processedShas = new HashSet<>();
        Set<String> failedFiles = new HashSet<>();
        long skipped = 0;
        long events = 0;
        long announced = 0;
        Set<String> publishedItems = new HashSet<>();
        Set<String> rawIds = new HashSet<>();
        long rawRecords;
        long taggedRecords = 0;
        long retagged = 0;
        long replayed = 0;
        Map<String, List<String>> tagsByKey = new java.util.HashMap<>();
        Map<String, int[]> retagChanges = new java.util.TreeMap<>();
        ConfluentAvroDeserializer<dev.digestflow.schema.TaggedItem> taggedValues = new ConfluentAvroDeserializer<>(dev.digestflow.schema.TaggedItem.class);
        taggedValues.configure(serde, false);
        Set<String> taggedIds = new HashSet<>();
        Set<String> deadInEnrich = new HashSet<>();
        Set<String> deadInSink = new HashSet<>();
        long dlqRecords = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (ConsumerRecord<byte[], byte[]> r : read(consumer, names.files(), partial)) {
                FileEvent e = fileEvents.deserialize(r.topic(), r.headers(), r.value());
                events++;
                if (e.getStatus() == FileStatus.PROCESSED) {
                    if (processedShas.add(e.getSha256())) {
                        announced += e.getItemCount();
                    }
                } else if (e.getStatus() == FileStatus.FAILED) {
                    failedFiles.add(e.getSha256() + "/" + e.getFileName());
                } else {
                    skipped++;
                }
            }
            List<ConsumerRecord<byte[], byte[]>> raw = read(consumer, names.raw(), partial);
            rawRecords = raw.size();
            for (ConsumerRecord<byte[], byte[]> r : raw) {
                rawIds.add(key(r));
                try {
                    DigestItem item = rawItems.deserialize(r.topic(), r.headers(), r.value());
                    if (item != null && item.getSource() != null && processedShas.contains(item.getSource().getSha256())) {
                        publishedItems.add(item.getSource().getSha256() + "#" + item.getSource().getOrdinal());
                    }
                } catch (RuntimeException undecodable) {
                    // Not an item from a file: enrich dead-letters it, and the enrich check counts it there.
                }
            }
            List<ConsumerRecord<byte[], byte[]>> taggedTopic = read(consumer, names.tagged(), partial);
            // Only the items a retag touched are decoded (to compare each retag record with the item's previous one).
            Set<String> retaggedKeys = new HashSet<>();
            taggedTopic.stream().filter(r -> header(r, RetagCommand.RETAG_HEADER) != null).forEach(r -> retaggedKeys.add(key(r)));
            for (ConsumerRecord<byte[], byte[]> r : taggedTopic) {
                // A retag writes a new version of an item: not a second item, so not dedup's business.
                if (retaggedKeys.contains(key(r))) {
                    List<String> tags = tagsOf(taggedValues, r);
                    List<String> before = tagsByKey.put(key(r), tags);
                    if (header(r, RetagCommand.RETAG_HEADER) != null && before != null && tags != null) {
                        tags.stream().filter(t -> !before.contains(t)).forEach(t -> retagChanges.computeIfAbsent(t, k -> new int[2])[0]++);
                        before.stream().filter(t -> !tags.contains(t)).forEach(t -> retagChanges.computeIfAbsent(t, k -> new int[2])[1]++);
                    }
                }
                if (header(r, RetagCommand.RETAG_HEADER) != null) {
                    retagged++;
                } else if (header(r, DeadLetter.REPLAYED_FROM_HEADER) != null && taggedIds.contains(key(r))) {
                    // Streams copies a replayed raw record's headers to the tagged record it makes: only a
                    // second record of an id already tagged is a replayed version.
                    replayed++;
                } else {
                    taggedRecords++;
                }
                taggedIds.add(key(r));
            }
            for (ConsumerRecord<byte[], byte[]> r : read(consumer, names.dlq(), partial)) {
                dlqRecords++;
                String stage = header(r, DeadLetterHeaders.STAGE);
                String itemId = header(r, DeadLetterHeaders.ITEM_ID);
                String id = itemId != null ? itemId : key(r);
                if (stage != null && stage.startsWith("index-sink")) {
                    deadInSink.add(id);
                } else if (stage != null && stage.startsWith("enrich-streams")) {
                    deadInEnrich.add(id);
                }
            }
        }
        long missingAfterEnrich = rawIds.stream().filter(id -> !taggedIds.contains(id) && !deadInEnrich.contains(id)).count();
        deadInSink.retainAll(taggedIds);

        long indexed = 0;
        Map<String, Long> top = new LinkedHashMap<>();
        Map<String, Long> versions = new LinkedHashMap<>();
        try (ElasticsearchTransport transport = ElasticsearchClients.transport(endpoints.elasticsearchUrl())) {
            ElasticsearchClient es = new ElasticsearchClient(transport);
            if (es.indices().existsAlias(a -> a.name(names.alias())).value()) {
                es.indices().refresh(r -> r.index(names.alias()));
                indexed = es.count(c -> c.index(names.alias())).count();
                es.search(s -> s.index(names.alias()).size(0).aggregations("tags", a -> a.terms(t -> t.field("tags").size(10))), Void.class)
                        .aggregations().get("tags").sterms().buckets().array().forEach(b -> top.put(b.key().stringValue(), b.docCount()));
                es.search(s -> s.index(names.alias()).size(0).aggregations("versions", a -> a.terms(t -> t.field("taxonomyVersion").size(10).missing("(none)"))),
                        Void.class).aggregations().get("versions").sterms().buckets().array().forEach(b -> versions.put(b.key().stringValue(), b.docCount()));
            }
        }
        return new StatusReport(new Files(processedShas.size(), failedFiles.size(), skipped, events),
                new Items(announced, publishedItems.size(), rawRecords, rawIds.size(), taggedRecords, taggedIds.size(), deadInEnrich.size(),
                        missingAfterEnrich, deadInSink.size(), retagged, replayed),
                dlqRecords, indexed, top, versions, retagChanges, partial);
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(KafkaConsumer<byte[], byte[]> consumer, String topic, List<String> partial) {
        TopicSnapshot.Contents<byte[], byte[]> contents = TopicSnapshot.read(consumer, topic, READ_TIMEOUT);
        if (!contents.complete()) {
            partial.add(contents.partialNote());
        }
        return contents.records();
    }

    private static List<String> tagsOf(ConfluentAvroDeserializer<dev.digestflow.schema.TaggedItem> values, ConsumerRecord<byte[], byte[]> r) {
        try {
            dev.digestflow.schema.TaggedItem t = values.deserialize(r.topic(), r.headers(), r.value());
            return t == null ? null : List.copyOf(t.getTags());
        } catch (RuntimeException undecodable) {
            return null; // counted by its key like any other; the sink dead-letters it
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? r.topic() + "/" + r.partition() + "@" + r.offset() : new String(r.key(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Every hand-over accounts for every item, on complete reads. */
    public boolean reconciled() {
        return partial.isEmpty() && disagreements().isEmpty();
    }

    public List<String> disagreements() {
        List<String> out = new ArrayList<>();
        if (items.announced() != items.published()) {
            out.add(String.format(Locale.ROOT, "ingest: the processed files announce %d items but %d of them are on the raw topic", items.announced(),
                    items.published()));
        }
        if (items.missingAfterEnrich() > 0) {
            out.add(String.format(Locale.ROOT, "enrich: %d of %d raw item ids are neither tagged nor dead-lettered (still processing, or enrich-streams is behind)",
                    items.missingAfterEnrich(), items.rawIds()));
        }
        if (items.taggedRecords() != items.taggedIds()) {
            out.add(String.format(Locale.ROOT, "enrich: the tagged topic holds %d records for %d item ids (dedup let %d through twice)",
                    items.taggedRecords(), items.taggedIds(), items.taggedRecords() - items.taggedIds()));
        }
        if (items.taggedIds() != indexed + items.deadInSink()) {
            out.add(String.format(Locale.ROOT, "sink: %d tagged items, but %d documents in Elasticsearch + %d dead-lettered by the sink%s", items.taggedIds(),
                    indexed, items.deadInSink(), items.taggedIds() > indexed + items.deadInSink() ? " (still indexing, or the sink is behind)" : ""));
        }
        return out;
    }

    /**
     * The report for scripts: {@code files}, {@code items}, {@code dlqRecords}, {@code indexed},
     * {@code topTags}, {@code partial}, plus {@code reconciled} and {@code disagreements}.
     */
    public String toJson() {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode node = json.valueToTree(this);
        node.put("reconciled", reconciled());
        node.set("disagreements", json.valueToTree(disagreements()));
        return node.toString();
    }

    public String render() {
        StringBuilder s = new StringBuilder();
        String nl = System.lineSeparator();
        s.append(String.format(Locale.ROOT, "files      %d processed, %d failed, %d skipped (%d file events)%n", files.processed(), files.failed(),
                files.skipped(), files.events()));
        s.append(String.format(Locale.ROOT, "ingest     %d items announced by the processed files, %d of them on the raw topic (%d records, %d item ids)%n",
                items.announced(), items.published(), items.rawRecords(), items.rawIds()));
        s.append(String.format(Locale.ROOT, "enrich     %d item ids -> %d tagged + %d dead-lettered (%d duplicates dropped)%n", items.rawIds(),
                items.taggedIds(), items.deadInEnrich(), Math.max(0, items.rawRecords() - items.taggedRecords() - items.deadInEnrich())));
        s.append(String.format(Locale.ROOT, "sink       %d tagged -> %d indexed + %d dead-lettered%n", items.taggedIds(), indexed, items.deadInSink()));
        s.append(String.format(Locale.ROOT, "dlq        %d records%s%n", dlqRecords,
                items.replayedRecords() > 0 ? "; " + items.replayedRecords() + " replayed again to the tagged topic by ./digestflow dlq replay" : ""));
        if (!taxonomyVersions.isEmpty() || items.retaggedRecords() > 0) {
            s.append("taxonomy  documents by taxonomy version:");
            taxonomyVersions.forEach((v, n) -> s.append(' ').append(v).append(" (").append(n).append(')'));
            s.append(String.format(Locale.ROOT, "; %d records re-tagged by ./digestflow retag%n", items.retaggedRecords()));
            if (!retagChanges.isEmpty()) {
                s.append("retag     items that gained (+) or lost (-) a tag:");
                retagChanges.forEach((tag, c) -> s.append(' ').append(tag).append(" +").append(c[0]).append(" -").append(c[1]));
                s.append(nl);
            }
        }
        s.append("top tags  ");
        topTags.forEach((tag, n) -> s.append(' ').append(tag).append(" (").append(n).append(')'));
        s.append(nl);
        partial.forEach(p -> s.append("PARTIAL: ").append(p).append(nl));
        s.append(verdict()).append(nl);
        if (!reconciled()) {
            disagreements().forEach(d -> s.append("  - ").append(d).append(nl));
        }
        return s.toString();
    }

    /** The reconciliation in one line, as {@code status} ends and the console's Pipeline page shows it. */
    public String verdict() {
        if (reconciled()) {
            return String.format(Locale.ROOT, "reconciled: %d items announced = %d published; %d item ids = %d tagged + %d dead-lettered by enrich; "
                    + "%d tagged = %d indexed + %d dead-lettered by the sink", items.announced(), items.published(), items.rawIds(), items.taggedIds(),
                    items.deadInEnrich(), items.taggedIds(), indexed, items.deadInSink());
        }
        return disagreements().isEmpty() ? "NOT reconciled: the counts agree, but they are partial (see above)" : "NOT reconciled:";
    }
}
