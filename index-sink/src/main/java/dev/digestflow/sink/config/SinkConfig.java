package dev.digestflow.sink.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import dev.digestflow.service.config.KafkaServiceConfig;
import dev.digestflow.service.config.RedactedUrls;

/**
 * Every setting of index-sink, validated at start-up; errors name the key. Rules that span several
 * keys live in {@link #validateTogether()}.
 */
public final class SinkConfig extends KafkaServiceConfig {

    public static final String GROUP_ID = "group.id";
    public static final String TAGGED_TOPIC = "topic.tagged";
    public static final String DLQ_TOPIC = "topic.dlq";
    public static final String ES_URLS = "es.urls";
    public static final String ES_USERNAME = "es.username";
    public static final String ES_PASSWORD = "es.password";
    public static final String ES_API_KEY = "es.api.key";
    public static final String ES_CA_FILE = "es.ca.file";
    public static final String ES_CONNECT_TIMEOUT_MS = "es.connect.timeout.ms";
    public static final String ES_REQUEST_TIMEOUT_MS = "es.request.timeout.ms";
    public static final String INDEX_ALIAS = "index.alias";
    public static final String INDEX_TEMPLATE = "index.template.name";
    public static final String INDEX_SHARDS = "index.shards";
    public static final String INDEX_REPLICAS = "index.auto.expand.replicas";
    public static final String BULK_MAX_BYTES = "bulk.max.bytes";
    public static final String BULK_MAX_OPERATIONS = "bulk.max.operations";
    public static final String BULK_FLUSH_INTERVAL_MS = "bulk.flush.interval.ms";
    public static final String BULK_CONCURRENT_REQUESTS = "bulk.concurrent.requests";
    public static final String BUFFER_MAX_RECORDS = "buffer.max.records";
    public static final String RETRY_BACKOFF_INITIAL_MS = "retry.backoff.ms";
    /** The old name of {@link #RETRY_BACKOFF_INITIAL_MS}, accepted with a warning until the next release. */
    public static final String RETRY_BACKOFF_INITIAL_MS_DEPRECATED = "retry.backoff.initial.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String MALFORMED_POLICY = "malformed.policy";
    public static final String DOCUMENT_VERSIONING = "document.versioning";
    public static final String OUTAGE_LOG_INTERVAL_MS = "outage.log.interval.ms";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String STARTUP_TIMEOUT_MS = "startup.timeout.ms";

    public static final long DEFAULT_BULK_MAX_BYTES = 5L * 1024 * 1024;
    public static final int DEFAULT_BULK_MAX_OPERATIONS = 1000;
    public static final long DEFAULT_BULK_FLUSH_INTERVAL_MS = 1000;
    public static final int DEFAULT_BULK_CONCURRENT_REQUESTS = 2;

    /** What happens to a document that Elasticsearch rejects as malformed. */
    public enum MalformedPolicy {
        /** Dead-letter it with the ES error in the headers, then go on (default). */
        DLQ,
        /** Log it with context and skip it. */
        WARN,
        /** Stop the sink without committing past it. */
        FAIL
    }

    /** How replays interact with documents already indexed. */
    public enum Versioning {
        /**
         * External version = the record's Kafka offset. Items are keyed by itemId, so one id always
         * lands on one partition and a later offset is a later state: a replay or a late retry never
         * overwrites a newer document, it meets a version conflict, which is ignored.
         */
        KAFKA_OFFSET,
        /** Last write wins. */
        NONE
    }

    public static final ConfigDef CONFIG_DEF = deprecated(baseDefinition(8093)
            .define(GROUP_ID, Type.STRING, "digestflow-index-sink", new ConfigDef.NonEmptyString(), Importance.HIGH, "Consumer group.")
            .define(TAGGED_TOPIC, Type.STRING, "digest.items.tagged", new ConfigDef.NonEmptyString(), Importance.MEDIUM, "Input: the tagged stream.")
            .define(DLQ_TOPIC, Type.STRING, "digest.items.dlq", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Dead letters: records that cannot be read or that Elasticsearch rejects as malformed.")
            .define(ES_URLS, Type.LIST, List.of("http://127.0.0.1:9200"), ConfigDef.ValidList.anyNonDuplicateValues(false, false), Importance.HIGH,
                    "Elasticsearch node URLs, comma-separated; requests are spread over them and fail over.")
            .define(ES_USERNAME, Type.STRING, "", Importance.MEDIUM, "Basic auth user; empty = none.")
            .define(ES_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, "Basic auth password (never logged).")
            .define(ES_API_KEY, Type.PASSWORD, "", Importance.MEDIUM, "API key, the base64 'id:key' form (never logged); excludes basic auth.")
            .define(ES_CA_FILE, Type.STRING, "", Importance.MEDIUM, "PEM CA certificate(s) to trust for https URLs; empty = the JDK trust store.")
            .define(ES_CONNECT_TIMEOUT_MS, Type.INT, 2000, Range.atLeast(1), Importance.LOW, "Connect timeout per request.")
            .define(ES_REQUEST_TIMEOUT_MS, Type.INT, 60_000, Range.atLeast(1), Importance.LOW, "Socket timeout per request.")
            .define(INDEX_ALIAS, Type.STRING, "digest-items", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Alias written to and searched; its write index is created as <alias>-000001 on first start.")
            .define(INDEX_TEMPLATE, Type.STRING, "digest-items", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Name of the composable index template covering <alias>*.")
            .define(INDEX_SHARDS, Type.INT, 1, Range.between(1, 1024), Importance.LOW, "Primary shards of new indices.")
            .define(INDEX_REPLICAS, Type.STRING, "0-1", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "index.auto_expand_replicas: 0-1 stays green on one node and keeps a replica on a cluster.")
            .define(BULK_MAX_BYTES, Type.LONG, DEFAULT_BULK_MAX_BYTES, Range.between(1024, 100L * 1024 * 1024), Importance.MEDIUM,
                    "A bulk request is sent when its body reaches this size.")
            .define(BULK_MAX_OPERATIONS, Type.INT, DEFAULT_BULK_MAX_OPERATIONS, Range.between(1, 100_000), Importance.MEDIUM,
                    "A bulk request is sent when it holds this many operations.")
            .define(BULK_FLUSH_INTERVAL_MS, Type.LONG, DEFAULT_BULK_FLUSH_INTERVAL_MS, Range.between(10, 3_600_000), Importance.MEDIUM,
                    "A partial bulk is sent after this long at the latest; the sink also sends it as soon as a poll finds nothing more to read, so a trickle is indexed at once.")
            .define(BULK_CONCURRENT_REQUESTS, Type.INT, DEFAULT_BULK_CONCURRENT_REQUESTS, Range.between(1, 64), Importance.MEDIUM,
                    "Bulk requests in flight at once.")
            .define(BUFFER_MAX_RECORDS, Type.INT, 10_000, Range.atLeast(1), Importance.MEDIUM,
                    "Records read but not yet acknowledged by ES; above it the consumer pauses (backpressure).")
            .define(RETRY_BACKOFF_INITIAL_MS, Type.LONG, 200L, Range.atLeast(1), Importance.LOW, "First retry delay; doubled per attempt up to retry.backoff.max.ms, each delay drawn between half and all of it (equal jitter).")
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW, "Cap of the retry delay. Retries never stop.")
            .define(MALFORMED_POLICY, Type.STRING, "dlq", ConfigDef.CaseInsensitiveValidString.in("dlq", "warn", "fail"), Importance.MEDIUM,
                    "A document ES rejects as malformed: dlq (dead-letter it), warn (log and skip) or fail (stop without committing it).")
            .define(DOCUMENT_VERSIONING, Type.STRING, "kafka_offset", ConfigDef.CaseInsensitiveValidString.in("kafka_offset", "none"), Importance.LOW,
                    "kafka_offset: external version = offset, so replays never overwrite newer documents; none: last write wins.")
            .define(OUTAGE_LOG_INTERVAL_MS, Type.LONG, 30_000L, Range.atLeast(100), Importance.LOW,
                    "While ES is unreachable, one log line per interval (not one per record).")
            .define(COMMIT_INTERVAL_MS, Type.LONG, 1000L, Range.atLeast(10), Importance.LOW, "How often acknowledged offsets are committed.")
            .define(STARTUP_TIMEOUT_MS, Type.LONG, 300_000L, Range.atLeast(1), Importance.LOW,
                    "How long start-up retries reaching ES (template, alias) before giving up."), RETRY_BACKOFF_INITIAL_MS_DEPRECATED, RETRY_BACKOFF_INITIAL_MS);

    public SinkConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
        validateTogether();
    }

    private void validateTogether() {
        if (getString(DLQ_TOPIC).equals(getString(TAGGED_TOPIC))) {
            throw new ConfigException(DLQ_TOPIC, getString(DLQ_TOPIC), "must differ from " + TAGGED_TOPIC);
        }
        if (!getPassword(ES_API_KEY).value().isEmpty() && !getString(ES_USERNAME).isEmpty()) {
            throw new ConfigException(ES_API_KEY, "[hidden]", "set either " + ES_API_KEY + " or " + ES_USERNAME + "/" + ES_PASSWORD + ", not both");
        }
        if (!getPassword(ES_PASSWORD).value().isEmpty() && getString(ES_USERNAME).isEmpty()) {
            throw new ConfigException(ES_USERNAME, "", "is required when " + ES_PASSWORD + " is set");
        }
        for (String url : getList(ES_URLS)) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new ConfigException(ES_URLS, RedactedUrls.of(url), "each URL needs a scheme, http:// or https://");
            }
        }
        if (getLong(RETRY_BACKOFF_MAX_MS) < getLong(RETRY_BACKOFF_INITIAL_MS)) {
            throw new ConfigException(RETRY_BACKOFF_MAX_MS, getLong(RETRY_BACKOFF_MAX_MS), "must be at least " + RETRY_BACKOFF_INITIAL_MS);
        }
        if (getInt(BUFFER_MAX_RECORDS) < getInt(BULK_MAX_OPERATIONS)) {
            // Below one full bulk, the consumer would pause before a bulk fills and every bulk would wait for the flush timer.
            throw new ConfigException(BUFFER_MAX_RECORDS, getInt(BUFFER_MAX_RECORDS), "must be at least " + BULK_MAX_OPERATIONS
                    + " (" + getInt(BULK_MAX_OPERATIONS) + ")");
        }
    }

    public MalformedPolicy malformedPolicy() {
        return MalformedPolicy.valueOf(getString(MALFORMED_POLICY).toUpperCase(java.util.Locale.ROOT));
    }

    public Versioning versioning() {
        return Versioning.valueOf(getString(DOCUMENT_VERSIONING).toUpperCase(java.util.Locale.ROOT));
    }

    public Duration duration(String key) {
        return Duration.ofMillis(getLong(key));
    }

    public Password password(String key) {
        return getPassword(key);
    }
}
