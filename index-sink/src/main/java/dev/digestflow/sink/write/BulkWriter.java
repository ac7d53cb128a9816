package dev.digestflow.sink.write;

import java.util.List;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;

/**
 * Where the worker sends documents, and how it hears back: Elasticsearch's {@code BulkIngester} in the
 * service ({@link IngesterBulkWriter}), a scripted writer in the worker's unit tests. The worker's
 * decisions (commit, retry, dead-letter, fail) depend only on what comes back through the
 * {@link Listener}, which is what makes them testable without Elasticsearch.
 */
public interface BulkWriter extends AutoCloseable {

    /** Queues one operation; it is sent with a later bulk request. */
    void add(BulkOperation operation, PendingRecord record);

    /** Sends what is queued now. */
    void flush();

    /** Sends what is queued, waits for the requests in flight, and stops. */
    @Override
    void close();

    /** What the writer reports for each bulk request. */
    interface Listener {

        void beforeBulk(long executionId);

        /** ES answered; {@code items} holds one answer per record, in order. */
        void afterBulk(long executionId, List<PendingRecord> records, List<BulkResponseItem> items);

        /** The whole request failed (no answer, or a request-level error). */
        void afterBulk(long executionId, List<PendingRecord> records, Throwable failure);
    }
}
