package dev.digestflow.enrich.config;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

import dev.digestflow.service.config.KafkaServiceConfig;

/** Every setting of enrich-streams, validated at start-up; errors name the key. */
public final class EnrichConfig extends KafkaServiceConfig {

    public static final String APPLICATION_ID = "application.id";
    public static final String RAW_TOPIC = "topic.raw";
    public static final String TAGGED_TOPIC = "topic.tagged";
    public static final String DLQ_TOPIC = "topic.dlq";
    public static final String TAG_TOPIC_PREFIX = "topic.tag.prefix";
    public static final String TAG_TOPICS_ENABLED = "tag.topics.enabled";
    public static final String DEDUP_RETENTION_MS = "dedup.retention.ms";
    public static final String TAXONOMY_FILE = "taxonomy.file";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String STATE_DIR = "state.dir";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";

    public static final ConfigDef CONFIG_DEF = baseDefinition(8092)
            .define(APPLICATION_ID, Type.STRING, "digestflow-enrich", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Kafka Streams application id: consumer group, prefix of internal topics and state.")
            .define(RAW_TOPIC, Type.STRING, "digest.items.raw", new ConfigDef.NonEmptyString(), Importance.MEDIUM, "Input: raw items keyed by itemId.")
            .define(TAGGED_TOPIC, Type.STRING, "digest.items.tagged", new ConfigDef.NonEmptyString(), Importance.MEDIUM, "Output: unique tagged items.")
            .define(DLQ_TOPIC, Type.STRING, "digest.items.dlq", new ConfigDef.NonEmptyString(), Importance.MEDIUM, "Dead letters, with the original bytes.")
            .define(TAG_TOPIC_PREFIX, Type.STRING, "digest.tag.", new ConfigDef.NonEmptyString(), Importance.LOW, "Prefix of the per-tag topics.")
            .define(TAG_TOPICS_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM, "Also route each item to digest.tag.<tag> for every one of its tags.")
            .define(DEDUP_RETENTION_MS, Type.LONG, Duration.ofDays(30).toMillis(), Range.between(1, Duration.ofDays(3650).toMillis()), Importance.MEDIUM,
                    "How long, in stream time, an itemId is remembered for deduplication.")
            .define(TAXONOMY_FILE, Type.STRING, "", Importance.MEDIUM, "Taxonomy YAML or JSON; empty = the shipped default.")
            .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                    ConfigDef.ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
                    "exactly_once_v2 (default) or at_least_once.")
            .define(STATE_DIR, Type.STRING, "digestflow-home/data/enrich-state", Importance.MEDIUM, "Local state (RocksDB) directory.")
            .define(NUM_STREAM_THREADS, Type.INT, 1, Range.atLeast(1), Importance.LOW, "Stream threads.")
            .define(COMMIT_INTERVAL_MS, Type.LONG, 100L, Range.atLeast(1), Importance.LOW, "Commit (transaction) interval.");

    public EnrichConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
        String raw = getString(RAW_TOPIC);
        for (String key : new String[] {TAGGED_TOPIC, DLQ_TOPIC}) {
            if (getString(key).equals(raw)) {
                throw new ConfigException(key, getString(key), "must differ from " + RAW_TOPIC + ": the app would read its own output");
            }
        }
        if (getString(DLQ_TOPIC).equals(getString(TAGGED_TOPIC))) {
            throw new ConfigException(DLQ_TOPIC, getString(DLQ_TOPIC), "must differ from " + TAGGED_TOPIC);
        }
        if (raw.startsWith(getString(TAG_TOPIC_PREFIX))) {
            throw new ConfigException(TAG_TOPIC_PREFIX, getString(TAG_TOPIC_PREFIX), "would route tagged items onto " + RAW_TOPIC);
        }
    }

    public Duration dedupRetention() {
        return Duration.ofMillis(getLong(DEDUP_RETENTION_MS));
    }

}
