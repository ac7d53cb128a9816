package dev.digestflow.app.dlq;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import dev.digestflow.schema.dlq.DeadLetterHeaders;

/**
 * One record of the dead-letter topic as a person reads it: where it sits, which stage rejected it
 * and why, where it came from, and its original bytes (absent when the stage had to leave them out).
 */
public record DeadLetter(int partition, long offset, long timestamp, byte[] keyBytes, byte[] value, Map<String, String> headers) {

    /** Set on a record that {@code dlq replay} re-published: the dead letter it came from, {@code <dlq topic>/<partition>@<offset>}. */
    public static final String REPLAYED_FROM_HEADER = "digestflow.replayed.from";

    public static DeadLetter of(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new DeadLetter(r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), headers);
    }

    /** The original key as text (item ids are UTF-8); the bytes are replayed as they are. */
    public String key() {
        return keyBytes == null ? null : new String(keyBytes, StandardCharsets.UTF_8);
    }

    /** {@code <partition>@<offset>}: how the console and the CLI name one dead letter. */
    public String coordinates() {
        return partition + "@" + offset;
    }

    public String stage() {
        return headers.getOrDefault(DeadLetterHeaders.STAGE, "(unknown stage)");
    }

    /** The item id the stage named, else the record key (both are the item id when there is one). */
    public String itemId() {
        String id = headers.get(DeadLetterHeaders.ITEM_ID);
        return id != null && !id.isEmpty() ? id : key();
    }

    public String originalTopic() {
        return headers.get(DeadLetterHeaders.TOPIC);
    }

    public String reason() {
        String es = headers.get(DeadLetterHeaders.ES_ERROR_REASON);
        String message = headers.getOrDefault(DeadLetterHeaders.EXCEPTION_MESSAGE, "");
        String type = headers.getOrDefault(DeadLetterHeaders.EXCEPTION_CLASS, "");
        return es != null && !es.isEmpty() ? headers.getOrDefault(DeadLetterHeaders.ES_ERROR_TYPE, "") + ": " + es
                : (type.isEmpty() ? "" : type.substring(type.lastIndexOf('.') + 1) + ": ") + message;
    }

    /** Why this one cannot be re-published as it is, or null when it can. */
    public String notReplayableBecause() {
        if (originalTopic() == null || originalTopic().isEmpty()) {
            return "it names no original topic";
        }
        if (value == null) {
            String omitted = headers.get(DeadLetterHeaders.PAYLOAD_OMITTED);
            return omitted != null ? "its payload was left out: " + omitted : "it has no payload";
        }
        return null;
    }

    /** The dead letter as the console and {@code dlq list --json} show it (without its payload, which needs the registry). */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        var n = JSON.createObjectNode();
        n.put("coordinates", coordinates()).put("partition", partition).put("offset", offset).put("timestamp", timestamp).put("stage", stage())
                .put("itemId", itemId()).put("key", key()).put("originalTopic", originalTopic())
                .put("originalPartition", headers.get(DeadLetterHeaders.PARTITION)).put("originalOffset", headers.get(DeadLetterHeaders.OFFSET))
                .put("reason", reason()).put("replayable", notReplayableBecause() == null);
        if (notReplayableBecause() != null) {
            n.put("notReplayableBecause", notReplayableBecause());
        }
        n.set("headers", JSON.valueToTree(headers));
        return n;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    public boolean matches(String stagePrefix, String id) {
        return (stagePrefix == null || stage().startsWith(stagePrefix)) && (id == null || id.equals(itemId()) || id.equals(coordinates()));
    }
}
