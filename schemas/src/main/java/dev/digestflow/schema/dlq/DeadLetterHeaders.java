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

    private DeadLetterHeaders() {
    }
}
