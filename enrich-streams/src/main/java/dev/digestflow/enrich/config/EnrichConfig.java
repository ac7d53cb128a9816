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
    public static final String TAXONOMY_RELOAD_INTERVAL_MS = "taxonomy.reload.interval.ms";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String STATE_DIR = "state.dir";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String THREAD_REPLACEMENTS_MAX = "thread.replacements.max";
    public static final String THREAD_REPLACEMENTS_WINDOW_MS = "thread.replacements.window.ms";

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
            .define(TAXONOMY_FILE, Type.STRING, "", Importance.MEDIUM, "Taxonomy YAML or JSON (with the examples file it names, if any, next to it); empty = the shipped default.")
            .define(TAXONOMY_RELOAD_INTERVAL_MS, Type.LONG, 5_000L, Range.atLeast(0), Importance.LOW,
                    "How often taxonomy.file and its examples are checked for changes; a changed, valid taxonomy is put in use without a restart (an invalid one is "
                    + "refused, naming the line, and the current one stays). 0 = never.")
            .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                    ConfigDef.ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
                    "exactly_once_v2 (default) or at_least_once.")
            .define(STATE_DIR, Type.STRING, "digestflow-home/data/enrich-state", Importance.MEDIUM, "Local state (RocksDB) directory.")
            .define(NUM_STREAM_THREADS, Type.INT, 1, Range.atLeast(1), Importance.LOW, "Stream threads.")
            .define(COMMIT_INTERVAL_MS, Type.LONG, 100L, Range.atLeast(1), Importance.LOW, "Commit (transaction) interval.")
            .define(RETRY_BACKOFF_MS, Type.LONG, 1_000L, Range.atLeast(1), Importance.LOW,
                    "First delay before a failed stream thread is replaced (registry unavailable, or an unexpected error); doubled per attempt, with equal jitter.")
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW,
                    "Cap of that delay. A schema registry outage is waited out with it for as long as it lasts: its records are never dead-lettered.")
            .define(THREAD_REPLACEMENTS_MAX, Type.INT, 5, Range.atLeast(0), Importance.LOW,
                    "How many times a stream thread that died of an error other than a registry outage is replaced within thread.replacements.window.ms; one more and Streams shuts down and the service exits 1, so that a supervisor sees it.")
            .define(THREAD_REPLACEMENTS_WINDOW_MS, Type.LONG, 600_000L, Range.atLeast(1), Importance.LOW,
                    "The window of thread.replacements.max.");

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
        if (getLong(RETRY_BACKOFF_MAX_MS) < getLong(RETRY_BACKOFF_MS)) {
            throw new ConfigException(RETRY_BACKOFF_MAX_MS, getLong(RETRY_BACKOFF_MAX_MS), "must be at least " + RETRY_BACKOFF_MS);
        }
        if (raw.startsWith(getString(TAG_TOPIC_PREFIX))) {
            throw new ConfigException(TAG_TOPIC_PREFIX, getString(TAG_TOPIC_PREFIX), "would route tagged items onto " + RAW_TOPIC);
        }
    }

    public Duration dedupRetention() {
        return Duration.ofMillis(getLong(DEDUP_RETENTION_MS));
    }

}
