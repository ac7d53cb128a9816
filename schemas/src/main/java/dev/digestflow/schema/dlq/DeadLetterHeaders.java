package dev.digestflow.schema.dlq;

/**
 * Header names on {@code digest.items.dlq}, shared by every stage that dead-letters, so one consumer
 * can read the reason of any rejection. The record itself carries the original key and value bytes.
 */
public final class DeadLetterHeaders {

    /** Which stage rejected the record, e.g. {@code enrich-streams.deserialize}, {@code index-sink.elasticsearch}. */
    public static final String STAGE = "digestflow.dlq.stage";
    public static final String TOPIC = "digestflow.dlq.topic";
    public static final String PARTITION = "digestflow.dlq.partition";
    public static final String OFFSET = "digestflow.dlq.offset";
    public static final String EXCEPTION_CLASS = "digestflow.dlq.exception.class";
    public static final String EXCEPTION_MESSAGE = "digestflow.dlq.exception.message";
    public static final String PROCESSOR = "digestflow.dlq.processor";
    /** Elasticsearch's error type, e.g. {@code document_parsing_exception}. */
    public static final String ES_ERROR_TYPE = "digestflow.dlq.es.error.type";
    /** Elasticsearch's error reason, with the caused-by chain. */
    public static final String ES_ERROR_REASON = "digestflow.dlq.es.error.reason";
    public static final String ES_STATUS = "digestflow.dlq.es.status";
    public static final String ES_INDEX = "digestflow.dlq.es.index";
    public static final String ITEM_ID = "digestflow.dlq.item.id";
    /** Set when the stage had to leave the original value out (too large for the DLQ); says where to read it. */
    public static final String PAYLOAD_OMITTED = "digestflow.dlq.payload.omitted";

    private DeadLetterHeaders() {
    }

    /**
     * The headers of one dead letter: where the record came from and why it was rejected. The one
     * builder both stages use, so that a DLQ reader (the console, {@code dlq replay}) finds the same
     * headers on every dead letter.
     */
    public static Builder of(String stage, String topic, int partition, long offset, String exceptionClass, String message) {
        return new Builder().put(STAGE, stage).put(TOPIC, topic).put(PARTITION, String.valueOf(partition)).put(OFFSET, String.valueOf(offset))
                .put(EXCEPTION_CLASS, exceptionClass).put(EXCEPTION_MESSAGE, message);
    }

    /** Adds the optional headers; absent values are left out, present ones written as UTF-8. */
    public static final class Builder {
        private final org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();

        private Builder() {
        }

        private Builder put(String name, String value) {
            headers.add(name, (value == null ? "" : value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return this;
        }

        /** The Streams processor node that failed. */
        public Builder processor(String nodeId) {
            return nodeId == null ? this : put(PROCESSOR, nodeId);
        }

        public Builder itemId(String itemId) {
            return itemId == null ? this : put(ITEM_ID, itemId);
        }

        /** Elasticsearch's answer for the document. */
        public Builder elasticsearch(int status, String type, String reason, String index) {
            return put(ES_STATUS, String.valueOf(status)).put(ES_ERROR_TYPE, type).put(ES_ERROR_REASON, reason).put(ES_INDEX, index);
        }

        public org.apache.kafka.common.header.Headers build() {
            return headers;
        }
    }
}
