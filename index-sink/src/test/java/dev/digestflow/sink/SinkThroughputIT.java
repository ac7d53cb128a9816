package dev.digestflow.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.sink.config.SinkConfig;
import dev.digestflow.sink.document.ItemDocuments;
import dev.digestflow.sink.index.IndexSetup;
import dev.digestflow.sink.write.IndexSink;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The sink's docs/s against a raw {@link BulkIngester} loop that writes the same documents, with
 * the same bulk settings and template, straight into ES with no Kafka: same run, same node. Reports
 * the ratio (target: at least 0.8) in target/sink-throughput.json; asserts only correctness, never
 * timing, so a slow CI machine cannot fail it. Raw and sink runs alternate, twice each, and the
 * best of each side is compared.
 */
@ExtendWith(TestStackExtension.class)
class SinkThroughputIT {

    private static final int WARMUP = 5_000;
    private static final int MEASURED = Integer.getInteger("digestflow.sink.bench.items", 20_000);

    @Test
    void sinkThroughputAgainstARawBulkIngesterLoop(TestStack stack, TestNames names) throws Exception {
        double[] raw = new double[1];
        double[] sink = new double[1];
        for (String round : List.of("warmup", "measured")) {
            int n = round.equals("warmup") ? WARMUP : MEASURED;
            List<TaggedItem> items = SinkHarness.syntheticItems(n, round);
            // Alternating raw, sink, raw, sink on fresh indices, so neither side profits from a warmer node;
            // the best run of each side is compared.
            double bestRaw = 0;
            double bestSink = 0;
            StringBuilder runs = new StringBuilder();
            for (int rep = 1; rep <= 2; rep++) {
                try (SinkHarness rawTarget = new SinkHarness(stack, names, round + "-raw" + rep);
                        SinkHarness viaSink = new SinkHarness(stack, names, round + "-sink" + rep)) {
                    viaSink.produce(items);
                    double r = rawLoop(rawTarget, items);
                    double k = throughKafka(viaSink, n);
                    runs.append(String.format(Locale.ROOT, " raw %.0f, sink %.0f;", r, k));
                    bestRaw = Math.max(bestRaw, r);
                    bestSink = Math.max(bestSink, k);
                }
            }
            raw[0] = bestRaw;
            sink[0] = bestSink;
            System.out.printf(Locale.ROOT, "%s round (%d docs):%s%n", round, n, runs);
        }
        double ratio = sink[0] / raw[0];
        String json = String.format(Locale.ROOT, "{\"items\":%d,\"raw_bulk_ingester_docs_per_s\":%.0f,\"sink_docs_per_s\":%.0f,\"ratio\":%.3f,"
                + "\"bulk_max_operations\":%d,\"bulk_max_bytes\":%d,\"bulk_concurrent_requests\":%d,\"cores\":%d}%n", MEASURED, raw[0], sink[0], ratio,
                SinkConfig.DEFAULT_BULK_MAX_OPERATIONS, SinkConfig.DEFAULT_BULK_MAX_BYTES, SinkConfig.DEFAULT_BULK_CONCURRENT_REQUESTS,
                Runtime.getRuntime().availableProcessors());
        Files.writeString(Path.of("target", "sink-throughput.json"), json, StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "index-sink throughput: raw BulkIngester %.0f docs/s, sink %.0f docs/s, ratio %.2f (%d docs)%n",
                raw[0], sink[0], ratio, MEASURED);
    }

    /** docs/s of a plain loop: convert, add, close (which flushes and waits), then check the count. */
    private static double rawLoop(SinkHarness h, List<TaggedItem> items) throws Exception {
        SinkConfig config = h.config();
        String index = new IndexSetup(h.es, h.alias, h.alias, 1, "0-1").ensure();
        assertThat(index).isNotBlank();
        long failed[] = new long[1];
        long t0 = System.nanoTime();
        BulkIngester<Void> ingester = BulkIngester.of(b -> b.client(new ElasticsearchAsyncClient(h.transport))
                .maxOperations(config.getInt(SinkConfig.BULK_MAX_OPERATIONS)).maxSize(config.getLong(SinkConfig.BULK_MAX_BYTES))
                .maxConcurrentRequests(config.getInt(SinkConfig.BULK_CONCURRENT_REQUESTS))
                .flushInterval(config.getLong(SinkConfig.BULK_FLUSH_INTERVAL_MS), TimeUnit.MILLISECONDS)
                .listener(new BulkListener<Void>() {
                    @Override
                    public void beforeBulk(long id, BulkRequest request, List<Void> contexts) {
                    }

                    @Override
                    public void afterBulk(long id, BulkRequest request, List<Void> contexts, BulkResponse response) {
                        failed[0] += response.items().stream().filter(i -> i.error() != null).count();
                    }

                    @Override
                    public void afterBulk(long id, BulkRequest request, List<Void> contexts, Throwable failure) {
                        failed[0] += contexts.size();
                    }
                }));
        long offset = 0;
        for (TaggedItem item : items) {
            ingester.add(ItemDocuments.toOperation(item, h.alias, offset++, Instant.now()));
        }
        ingester.close();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(failed[0]).isZero();
        assertThat(h.count()).isEqualTo(items.size());
        return items.size() / seconds;
    }

    /** docs/s from starting the sink on a filled topic until ES has acknowledged every document. */
    private static double throughKafka(SinkHarness h, int n) throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        long t0;
        long t1;
        try (IndexSink sink = startTimed(h, meters)) {
            t0 = System.nanoTime();
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> meters.get("digestflow.sink.documents.indexed").counter().count() >= n);
            t1 = System.nanoTime();
        }
        assertThat(h.count()).isEqualTo(n);
        return n / ((t1 - t0) / 1e9);
    }

    private static IndexSink startTimed(SinkHarness h, SimpleMeterRegistry meters) throws Exception {
        // Template and alias are set up before the clock starts, as for the raw loop.
        return h.startSink(meters);
    }
}
