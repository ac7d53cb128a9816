package dev.digestflow.app.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.FileStatus;
import dev.digestflow.schema.serde.ConfluentAvroDeserializer;

/**
 * The Files page: every event of {@code digest.files}, newest first, with what Elasticsearch says of
 * each processed file: how many of its items are documents from this file (new) and how many were
 * there already (duplicates), and the seconds from the drop to its last document indexed
 * ({@code max(indexedAt)} of its documents; a later {@code retag} moves that, and the page says the
 * figure is from the index). A failed file shows its reason as written next to it in {@code failed/}.
 */
public final class FilesView {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REASON_MAX_BYTES = 16 * 1024;

    private final ConfluentAvroDeserializer<FileEvent> events;
    private final ElasticsearchClient es;
    private final String alias;
    private final Map<Long, FileEvent> decoded = new HashMap<>();

    public FilesView(ConfluentAvroDeserializer<FileEvent> events, ElasticsearchClient es, String alias) {
        this.events = events;
        this.es = es;
        this.alias = alias;
    }

    /** The file events decoded (each once), oldest first; an undecodable one is skipped and reported by the follower's topic page. */
    synchronized List<FileEvent> decode(List<ConsumerRecord<byte[], byte[]>> records) {
        List<FileEvent> out = new java.util.ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            long id = ((long) r.partition() << 48) ^ r.offset();
            FileEvent e = decoded.get(id);
            if (e == null) {
                try {
                    e = events.deserialize(r.topic(), r.headers(), r.value());
                    decoded.put(id, e);
                } catch (RuntimeException undecodable) {
                    continue;
                }
            }
            out.add(e);
        }
        return out;
    }

    /**
     * @param unavailable filled with what could not be read (Elasticsearch down): the rows are still
     *        there, without the index's figures
     */
    public ArrayNode rows(List<ConsumerRecord<byte[], byte[]>> records, List<String> unavailable) {
        List<FileEvent> files = decode(records);
        Map<String, long[]> indexed = new HashMap<>();
        try {
            var r = es.search(s -> s.index(alias).size(0).aggregations("files", a -> a.terms(t -> t.field("source.sha256").size(Math.max(10, files.size())))
                    .aggregations("indexed", m -> m.max(x -> x.field("indexedAt")))), Void.class);
            for (StringTermsBucket b : r.aggregations().get("files").sterms().buckets().array()) {
                Double last = b.aggregations().get("indexed").max().value();
                indexed.put(b.key().stringValue(), new long[] {b.docCount(), last == null || last.isInfinite() ? 0 : last.longValue()});
            }
        } catch (IOException | RuntimeException e) {
            unavailable.add("Elasticsearch (new/duplicate counts and times): " + e.getMessage());
        }
        ArrayNode out = JSON.createArrayNode();
        for (int i = files.size() - 1; i >= 0; i--) {
            FileEvent e = files.get(i);
            ObjectNode row = out.addObject();
            row.put("fileName", e.getFileName()).put("sha256", e.getSha256()).put("status", e.getStatus().name().toLowerCase(java.util.Locale.ROOT))
                    .put("format", e.getFormat()).put("items", e.getItemCount()).put("sizeBytes", e.getSizeBytes()).put("warnings", e.getWarningCount())
                    .put("path", e.getPath()).put("detectedAt", e.getDetectedAt().toEpochMilli()).put("finishedAt", e.getFinishedAt().toEpochMilli())
                    .put("parseMillis", e.getParseMillis());
            if (e.getStatus() == FileStatus.PROCESSED) {
                long[] ix = indexed.get(e.getSha256());
                if (ix != null) {
                    row.put("newItems", ix[0]).put("duplicates", Math.max(0, e.getItemCount() - ix[0]));
                    if (ix[1] > 0) {
                        row.put("secondsToSearchable", Math.max(0, ix[1] - e.getDetectedAt().toEpochMilli()) / 1000.0);
                    }
                } else if (unavailable.isEmpty()) {
                    row.put("newItems", 0).put("duplicates", e.getItemCount());
                }
            } else {
                row.put("reason", reason(e));
            }
        }
        return out;
    }

    /** The text of {@code <file>.error.txt} in failed/, when it is there; the event's own error otherwise. */
    static String reason(FileEvent e) {
        if (e.getStatus() == FileStatus.FAILED && e.getPath() != null) {
            Path errorFile = Path.of(e.getPath() + ".error.txt");
            try {
                if (Files.isRegularFile(errorFile)) {
                    byte[] bytes;
                    try (var in = Files.newInputStream(errorFile)) {
                        bytes = in.readNBytes(REASON_MAX_BYTES);
                    }
                    return new String(bytes, StandardCharsets.UTF_8).strip();
                }
            } catch (IOException | RuntimeException unreadable) {
                // the event's error below says the same in one line
            }
        }
        return e.getError() == null ? "" : e.getError();
    }
}
