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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.FileStatus;
import dev.digestflow.schema.dlq.DeadLetterHeaders;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroDeserializer;
import dev.digestflow.service.kafka.TopicSnapshot;
import dev.digestflow.sink.index.ElasticsearchClients;

/**
 * Counts for every stage, read from the topics and the index themselves (not from any service's
 * memory), and the reconciliation: items announced by file events, against records on the raw topic,
 * against unique tagged items, against documents in Elasticsearch plus the ones ES rejected.
 */
public record StatusReport(long filesProcessed, long filesFailed, long filesSkipped, long itemsInFileEvents, long rawItems, long taggedItems,
        long uniqueTaggedItems, long indexed, long dlqTotal, long dlqFromSink, Map<String, Long> topTags) {

    public static StatusReport collect(Endpoints endpoints, PipelineNames names) throws IOException {
        Map<String, Object> consumerProps = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.CLIENT_ID_CONFIG, "digestflow-status");
        ConfluentAvroDeserializer<FileEvent> fileEvents = new ConfluentAvroDeserializer<>(FileEvent.class);
        fileEvents.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, endpoints.registryUrl()), false);
        long processed = 0;
        long failed = 0;
        long skipped = 0;
        long announced = 0;
        long raw;
        long tagged = 0;
        Set<String> uniqueTagged = new HashSet<>();
        long dlq = 0;
        long dlqSink = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (ConsumerRecord<byte[], byte[]> r : readAll(consumer, names.files())) {
                FileEvent e = fileEvents.deserialize(r.topic(), r.headers(), r.value());
                if (e.getStatus() == FileStatus.PROCESSED) {
                    processed++;
                    announced += e.getItemCount();
                } else if (e.getStatus() == FileStatus.FAILED) {
                    failed++;
                } else {
                    skipped++;
                }
            }
            raw = readAll(consumer, names.raw()).size();
            for (ConsumerRecord<byte[], byte[]> r : readAll(consumer, names.tagged())) {
                tagged++;
                uniqueTagged.add(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8));
            }
            for (ConsumerRecord<byte[], byte[]> r : readAll(consumer, names.dlq())) {
                dlq++;
                var stage = r.headers().lastHeader(DeadLetterHeaders.STAGE);
                if (stage != null && new String(stage.value(), StandardCharsets.UTF_8).startsWith("index-sink")) {
                    dlqSink++;
                }
            }
        }
        long indexed = 0;
        Map<String, Long> top = new LinkedHashMap<>();
        try (ElasticsearchTransport transport = ElasticsearchClients.transport(endpoints.elasticsearchUrl())) {
            ElasticsearchClient es = new ElasticsearchClient(transport);
            if (es.indices().existsAlias(a -> a.name(names.alias())).value()) {
                es.indices().refresh(r -> r.index(names.alias()));
                indexed = es.count(c -> c.index(names.alias())).count();
                es.search(s -> s.index(names.alias()).size(0).aggregations("tags", a -> a.terms(t -> t.field("tags").size(10))), Void.class)
                        .aggregations().get("tags").sterms().buckets().array().forEach(b -> top.put(b.key().stringValue(), b.docCount()));
            }
        }
        return new StatusReport(processed, failed, skipped, announced, raw, tagged, uniqueTagged.size(), indexed, dlq, dlqSink, top);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return TopicSnapshot.readAll(consumer, topic, Duration.ofSeconds(60));
    }

    /** Every item announced was published, and every unique item is either searchable or dead-lettered by the sink. */
    public boolean reconciled() {
        return itemsInFileEvents == rawItems && uniqueTaggedItems == indexed + dlqFromSink && taggedItems == uniqueTaggedItems;
    }

    public List<String> disagreements() {
        List<String> out = new ArrayList<>();
        if (itemsInFileEvents != rawItems) {
            out.add(String.format(Locale.ROOT, "file events announce %d items but %d are on the raw topic", itemsInFileEvents, rawItems));
        }
        if (taggedItems != uniqueTaggedItems) {
            out.add(String.format(Locale.ROOT, "the tagged topic holds %d records for %d unique items (dedup let %d through twice)", taggedItems,
                    uniqueTaggedItems, taggedItems - uniqueTaggedItems));
        }
        if (uniqueTaggedItems != indexed + dlqFromSink) {
            out.add(String.format(Locale.ROOT, "%d unique tagged items, but %d documents in Elasticsearch + %d rejected by the sink%s", uniqueTaggedItems,
                    indexed, dlqFromSink, uniqueTaggedItems > indexed + dlqFromSink ? " (still indexing, or the sink is behind)" : ""));
        }
        return out;
    }

    public String render() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "files      %d processed, %d failed, %d skipped%n", filesProcessed, filesFailed, filesSkipped));
        s.append(String.format(Locale.ROOT, "items      %d raw -> %d tagged (%d duplicates dropped) -> %d indexed%n", rawItems, uniqueTaggedItems,
                rawItems - taggedItems, indexed));
        s.append(String.format(Locale.ROOT, "dlq        %d records (%d from the sink)%n", dlqTotal, dlqFromSink));
        s.append("top tags  ");
        topTags.forEach((tag, n) -> s.append(' ').append(tag).append(" (").append(n).append(')'));
        s.append(System.lineSeparator());
        if (reconciled()) {
            s.append(String.format(Locale.ROOT, "reconciled: %d items announced = %d published; %d unique = %d indexed + %d rejected%n", itemsInFileEvents,
                    rawItems, uniqueTaggedItems, indexed, dlqFromSink));
        } else {
            s.append("NOT reconciled:").append(System.lineSeparator());
            disagreements().forEach(d -> s.append("  - ").append(d).append(System.lineSeparator()));
        }
        return s.toString();
    }
}
