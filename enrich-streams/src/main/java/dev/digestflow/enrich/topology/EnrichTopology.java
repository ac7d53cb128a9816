package dev.digestflow.enrich.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.enrich.dedup.DedupProcessor;
import dev.digestflow.enrich.taxonomy.CurrentTaxonomy;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.serde.ConfluentAvroSerde;

/**
 * The enrich topology, as a pure factory:
 * {@code digest.items.raw → (repartition by itemId where the key is not the itemId) → dedup → tag →
 * digest.items.tagged}, and, optionally, one copy per tag to {@code digest.tag.<tag>}.
 * Streams settings live apart, in {@link #streamsProperties}.
 */
public final class EnrichTopology {

    public static final String DEDUP_STORE = "dedup-seen-item-ids";

    private EnrichTopology() {
    }

    public static Topology build(EnrichConfig config, Taxonomy taxonomy, EnrichMetrics metrics) {
        return build(config, new CurrentTaxonomy(taxonomy), metrics);
    }

    /** The topology tagging with whatever taxonomy is current when each record is processed. */
    public static Topology build(EnrichConfig config, CurrentTaxonomy taxonomy, EnrichMetrics metrics) {
        ConfluentAvroSerde<DigestItem> items = ConfluentAvroSerde.forValues(DigestItem.class, config.serdeConfig());
        ConfluentAvroSerde<TaggedItem> taggedAvro = ConfluentAvroSerde.forValues(TaggedItem.class, config.serdeConfig());
        // One encoding per tagged record, however many tag topics it goes to (the fan-out serialized it once per topic).
        Serde<TaggedItem> tagged = Serdes.serdeFrom(new RecordSizeGuard<>(new EncodeOnceSerializer<>(taggedAvro.serializer()),
                RecordSizeGuard.maxRequestSize(config.kafkaPassThrough())), taggedAvro.deserializer());

        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, DigestItem> raw = builder.stream(config.getString(EnrichConfig.RAW_TOPIC), Consumed.with(Serdes.String(), items));

        // ingest-producer keys by itemId; other producers may not. Only those records pay for a repartition.
        var byKey = raw.split(Named.as("key-"))
                .branch((k, v) -> v == null || (v.getItemId() != null && v.getItemId().equals(k)), Branched.as("is-item-id"))
                .defaultBranch(Branched.as("needs-rekey"));
        KStream<String, DigestItem> rekeyed = byKey.get("key-needs-rekey")
                .selectKey((k, v) -> v.getItemId(), Named.as("key-by-item-id"))
                .repartition(Repartitioned.with(Serdes.String(), items).withName("by-item-id"));
        KStream<String, DigestItem> byItemId = byKey.get("key-is-item-id").merge(rekeyed, Named.as("all-keyed-by-item-id"));

        KStream<String, TaggedItem> out = byItemId
                .process(DedupProcessor.<DigestItem>supplier(DEDUP_STORE, config.dedupRetention(), DigestItem::getItemId, metrics.duplicates()),
                        Named.as("dedup"))
                .processValues(() -> new TaggingProcessor(taxonomy, metrics), Named.as("tag"));
        out.to(config.getString(EnrichConfig.TAGGED_TOPIC), Produced.with(Serdes.String(), tagged).withName("tagged-sink"));
        if (config.getBoolean(EnrichConfig.TAG_TOPICS_ENABLED)) {
            out.process(TagRouter::new, Named.as("route-by-tag"))
                    .to(TagRouter.topics(config.getString(EnrichConfig.TAG_TOPIC_PREFIX)), Produced.with(Serdes.String(), tagged).withName("tag-topics-sink"));
        }
        return builder.build();
    }

    /** The Kafka Streams settings for this app, kept apart from the topology. */
    public static Properties streamsProperties(EnrichConfig config, Object meterRegistry) {
        Properties p = new Properties();
        Map<String, Object> passThrough = new HashMap<>(config.kafkaPassThrough());
        p.putAll(passThrough);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(EnrichConfig.APPLICATION_ID));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(EnrichConfig.BOOTSTRAP_SERVERS));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.getString(EnrichConfig.PROCESSING_GUARANTEE));
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(EnrichConfig.STATE_DIR));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(EnrichConfig.NUM_STREAM_THREADS));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(EnrichConfig.COMMIT_INTERVAL_MS));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.getShort(EnrichConfig.TOPIC_REPLICATION));
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.OnDeserializationError.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.OnProcessingError.class);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.OnProductionError.class);
        p.put(DeadLetters.DLQ_TOPIC_CONFIG, config.getString(EnrichConfig.DLQ_TOPIC));
        if (meterRegistry != null) {
            p.put(DeadLetters.METER_REGISTRY_CONFIG, meterRegistry);
        }
        // Read only what producers committed: the tagged stream inherits exactly-once from ingest.
        p.put(StreamsConfig.consumerPrefix("isolation.level"), "read_committed");
        return p;
    }
}
