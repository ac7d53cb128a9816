package dev.digestflow.sink.write;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import dev.digestflow.sink.config.SinkConfig;

/**
 * {@link BulkWriter} over the official client's {@link BulkIngester}, with the sink's bulk limits. ES
 * completions are handed off the HTTP reactor thread ({@link CallbackHandoffTransport} says why: a
 * deadlock between the connection pool and the ingester during an outage).
 */
public final class IngesterBulkWriter implements BulkWriter {

    private final BulkIngester<PendingRecord> ingester;
    private final ExecutorService callbacks;

    public IngesterBulkWriter(SinkConfig config, ElasticsearchAsyncClient client, Listener listener) {
        this.callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "index-sink-es-callbacks");
            t.setDaemon(true);
            return t;
        });
        ElasticsearchAsyncClient safeClient = new ElasticsearchAsyncClient(new CallbackHandoffTransport(client._transport(), callbacks),
                client._transportOptions());
        this.ingester = BulkIngester.of(b -> b.client(safeClient)
                .maxOperations(config.getInt(SinkConfig.BULK_MAX_OPERATIONS))
                .maxSize(config.getLong(SinkConfig.BULK_MAX_BYTES))
                .maxConcurrentRequests(config.getInt(SinkConfig.BULK_CONCURRENT_REQUESTS))
                .flushInterval(config.getLong(SinkConfig.BULK_FLUSH_INTERVAL_MS), TimeUnit.MILLISECONDS)
                .listener(new BulkListener<PendingRecord>() {
                    @Override
                    public void beforeBulk(long executionId, BulkRequest request, List<PendingRecord> contexts) {
                        listener.beforeBulk(executionId);
                    }

                    @Override
                    public void afterBulk(long executionId, BulkRequest request, List<PendingRecord> contexts, BulkResponse response) {
                        listener.afterBulk(executionId, contexts, response.items());
                    }

                    @Override
                    public void afterBulk(long executionId, BulkRequest request, List<PendingRecord> contexts, Throwable failure) {
                        listener.afterBulk(executionId, contexts, failure);
                    }
                }));
    }

    @Override
    public void add(BulkOperation operation, PendingRecord record) {
        ingester.add(operation, record);
    }

    @Override
    public void flush() {
        ingester.flush();
    }

    @Override
    public void close() {
        try {
            ingester.close();
        } finally {
            callbacks.shutdown(); // after the ingester: its last completions arrive through it
        }
    }
}
