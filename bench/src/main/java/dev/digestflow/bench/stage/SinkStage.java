package dev.digestflow.bench.stage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.app.Pipeline;
import dev.digestflow.app.PipelineNames;
import dev.digestflow.bench.measure.AlternatedPairs;
import dev.digestflow.bench.measure.BenchFailure;
import dev.digestflow.bench.measure.Deadline;
import dev.digestflow.bench.measure.ProcessUsage;
import dev.digestflow.bench.measure.StageResult;
import dev.digestflow.bench.measure.UsageWindow;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroDeserializer;
import dev.digestflow.service.kafka.Topics;
import dev.digestflow.sink.IndexSinkMain;
import dev.digestflow.sink.config.SinkConfig;
import dev.digestflow.sink.document.ItemDocuments;
import dev.digestflow.sink.write.SinkService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * index-sink on the streams stage's tagged topic (from start until ES acknowledged every document)
 * against a raw {@link BulkIngester} loop that converts and indexes the same items straight into an
 * index set up the same way, with the sink's bulk settings and no Kafka.
 */
public final class SinkStage {

    private SinkStage() {
    }

    public record Outcome(StageComparison comparison, SinkConfig config) {
    }

    public static Outcome run(BenchEnvironment env, String taggedTopic, int pairs, Path profileFile, Consumer<String> progress) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = env.readAll(taggedTopic);
        long n = records.size();
        List<TaggedItem> items = deserialize(env, taggedTopic, records);
        try (ElasticsearchTransport transport = env.esTransport()) {
            ElasticsearchClient es = new ElasticsearchClient(transport);
            AlternatedPairs.Result result = AlternatedPairs.measure(pairs, round -> {
                SinkConfig config = config(env, env.names("sink-" + round), taggedTopic, null);
                Topics.ensure(env.bootstrapServers(), Map.of(), List.of(env.names("sink-" + round).dlq()), 3, (short) -1);
                IndexSinkMain.prepareIndex(config, es);
                SimpleMeterRegistry meters = new SimpleMeterRegistry();
                UsageWindow window = UsageWindow.open(env.probes());
                double seconds;
                try (SinkService sink = new SinkService(config, new ElasticsearchAsyncClient(transport), meters)) {
                    sink.start();
                    Deadline.await("index-sink to index " + n + " documents", env.phaseTimeout(), Duration.ofMillis(20),
                            () -> meters.get("digestflow.sink.documents.indexed").counter().count() >= n);
                    seconds = window.elapsedSeconds();
                }
                var bulks = meters.get("digestflow.sink.bulk.operations").summary();
                StageResult measured = new StageResult("index-sink", n, seconds, window.close(n),
                        Map.of("bulkRequests", bulks.count(), "operationsPerBulk", Math.round(bulks.mean()), "retries",
                                Math.round(meters.find("digestflow.sink.retries").counters().stream().mapToDouble(c -> c.count()).sum()), "versionConflicts",
                                Math.round(meters.get("digestflow.sink.version.conflicts").counter().count()), "bulkLatencyMeanMs",
                                Math.round(meters.get("digestflow.sink.bulk.latency").timer().mean(java.util.concurrent.TimeUnit.MILLISECONDS))));
                long indexed = BenchEnvironment.refreshedCount(es, config.getString(SinkConfig.INDEX_ALIAS));
                if (indexed != n) {
                    throw new BenchFailure("index-sink: " + indexed + " documents under " + config.getString(SinkConfig.INDEX_ALIAS) + ", expected " + n);
                }
                return measured;
            }, round -> {
                // Its own alias and template, whose pattern does not overlap the sink's ("<alias>*").
                SinkConfig rawConfig = config(env, env.names("sink-" + round), taggedTopic, env.names("raw-bulk-" + round).alias());
                IndexSinkMain.prepareIndex(rawConfig, es);
                StageResult baseline = rawBulkLoop(env, transport, rawConfig, items);
                long rawIndexed = BenchEnvironment.refreshedCount(es, rawConfig.getString(SinkConfig.INDEX_ALIAS));
                if (rawIndexed != n) {
                    throw new BenchFailure("raw BulkIngester loop: " + rawIndexed + " documents, expected " + n);
                }
                return baseline;
            }, profileFile, progress);
            return new Outcome(new StageComparison("sink", "raw BulkIngester loop (convert, add, close) with the sink's bulk settings, no Kafka", result),
                    config(env, env.names("sink-0"), taggedTopic, null));
        }
    }

    /** The sink's settings for one round; with {@code rawAlias}, the raw loop's alias and template instead of the sink's. */
    private static SinkConfig config(BenchEnvironment env, PipelineNames names, String taggedTopic, String rawAlias) {
        Map<String, Object> settings = Pipeline.sinkSettings(env.bootstrapServers(), env.registryUrl(), env.elasticsearchUrl(), names, 0);
        settings.put(SinkConfig.TAGGED_TOPIC, taggedTopic);
        if (rawAlias != null) {
            settings.put(SinkConfig.INDEX_ALIAS, rawAlias);
            settings.put(SinkConfig.INDEX_TEMPLATE, rawAlias);
        }
        return new SinkConfig(settings);
    }

    private static List<TaggedItem> deserialize(BenchEnvironment env, String topic, List<ConsumerRecord<byte[], byte[]>> records) {
        try (ConfluentAvroDeserializer<TaggedItem> d = new ConfluentAvroDeserializer<>()) {
            d.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, env.registryUrl(), AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
            List<TaggedItem> out = new ArrayList<>(records.size());
            records.forEach(r -> out.add(d.deserialize(topic, r.value())));
            return out;
        }
    }

    /** What a hand-written indexer with the official client would do: convert, add, close (flush and wait). */
    static StageResult rawBulkLoop(BenchEnvironment env, ElasticsearchTransport transport, SinkConfig config, List<TaggedItem> items) throws Exception {
        AtomicLong failed = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        String alias = config.getString(SinkConfig.INDEX_ALIAS);
        UsageWindow window = UsageWindow.open(env.probes());
        BulkIngester<Void> ingester = BulkIngester.of(b -> b.client(new ElasticsearchAsyncClient(transport))
                .maxOperations(config.getInt(SinkConfig.BULK_MAX_OPERATIONS)).maxSize(config.getLong(SinkConfig.BULK_MAX_BYTES))
                .maxConcurrentRequests(config.getInt(SinkConfig.BULK_CONCURRENT_REQUESTS))
                .flushInterval(config.getLong(SinkConfig.BULK_FLUSH_INTERVAL_MS), TimeUnit.MILLISECONDS).listener(new BulkListener<Void>() {
                    @Override
                    public void beforeBulk(long id, BulkRequest request, List<Void> contexts) {
                        requests.incrementAndGet();
                    }

                    @Override
                    public void afterBulk(long id, BulkRequest request, List<Void> contexts, BulkResponse response) {
                        failed.addAndGet(response.items().stream().filter(i -> i.error() != null).count());
                    }

                    @Override
                    public void afterBulk(long id, BulkRequest request, List<Void> contexts, Throwable failure) {
                        failed.addAndGet(contexts.size());
                    }
                }));
        long offset = 0;
        for (TaggedItem item : items) {
            ingester.add(ItemDocuments.toOperation(item, alias, offset++, Instant.now()));
        }
        ingester.close();
        double seconds = window.elapsedSeconds();
        List<ProcessUsage> usage = window.close(items.size());
        if (failed.get() > 0) {
            throw new BenchFailure("raw BulkIngester loop: " + failed.get() + " of " + items.size() + " documents failed");
        }
        return new StageResult("raw BulkIngester", items.size(), seconds, usage,
                Map.of("bulkRequests", requests.get(), "operationsPerBulk", requests.get() == 0 ? 0 : items.size() / requests.get()));
    }
}
