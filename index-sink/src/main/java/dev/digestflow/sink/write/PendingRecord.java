package dev.digestflow.sink.write;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;

/**
 * One record on its way into Elasticsearch: where it came from (for the commit and the DLQ), its
 * original bytes (a dead letter carries them unchanged), the operation, and how often it was tried.
 */
public record PendingRecord(TopicPartition partition, long offset, byte[] key, byte[] value, String itemId, BulkOperation operation, int attempt) {

    public static PendingRecord of(ConsumerRecord<byte[], byte[]> record, String itemId, BulkOperation operation) {
        return new PendingRecord(new TopicPartition(record.topic(), record.partition()), record.offset(), record.key(), record.value(),
                itemId, operation, 0);
    }

    public PendingRecord nextAttempt() {
        return new PendingRecord(partition, offset, key, value, itemId, operation, attempt + 1);
    }

    /** "topic-partition@offset (item id)", for log lines and errors. */
    public String describe() {
        return partition + "@" + offset + (itemId == null ? "" : " (item " + itemId + ")");
    }
}
