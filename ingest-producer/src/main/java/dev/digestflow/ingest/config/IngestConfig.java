package dev.digestflow.ingest.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import dev.digestflow.service.config.KafkaServiceConfig;

/**
 * Every setting of ingest-producer: name, doc, default, validated at start-up with a message that
 * names the key. Rules that span several keys live in {@link #validate()}.
 */
public final class IngestConfig extends KafkaServiceConfig {

    public static final String INBOX_DIR = "inbox.dir";
    public static final String PROCESSED_DIR = "processed.dir";
    public static final String FAILED_DIR = "failed.dir";
    public static final String STATE_DIR = "state.dir";
    static final String DEFAULT_STATE_DIR = "digestflow-home/data/ingest-state";
    /** The default of {@link #STATE_DIR} before it took up's layout; found there, it is reported with what to do. */
    static final String LEGACY_DEFAULT_STATE_DIR = "digestflow-home/data/ingest";
    public static final String INSTANCE_ID = "instance.id";
    public static final String QUIET_PERIOD_MS = "quiet.period.ms";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String MAX_FILE_BYTES = "max.file.bytes";
    public static final String ITEMS_TOPIC = "topic.raw";
    /** The old name of {@link #ITEMS_TOPIC}, accepted with a warning until the next release. */
    public static final String ITEMS_TOPIC_DEPRECATED = "topic.items";
    public static final String FILES_TOPIC = "topic.files";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String SEND_TIMEOUT_MS = "send.timeout.ms";
    public static final String CLAIMS_ADOPT_AFTER_MS = "claims.adopt.after.ms";
    public static final String INPUT_FILE_PATTERN = "input.file.pattern";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String PROCESSED_LAYOUT = "processed.layout";
    public static final String PARSE_AHEAD_FILES = "parse.ahead.files";

    /** What happens to a file once every item is acknowledged (spooldir's cleanup.policy): a failed file always goes to failed/. */
    public enum CleanupPolicy { MOVE, DELETE }

    /** Where a finished file goes in processed/: in a yyyy-mm-dd folder of the day it finished, or directly. */
    public enum ProcessedLayout { DATE, FLAT }

    public static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;
    /** A file is read into one array: the JVM's largest. */
    public static final long MAX_MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    public static final ConfigDef CONFIG_DEF = deprecated(baseDefinition(8091)
            .define(INBOX_DIR, Type.STRING, "digestflow-home/inbox", Importance.HIGH, "Folder watched for digest files.")
            .define(PROCESSED_DIR, Type.STRING, "digestflow-home/processed", Importance.HIGH,
                    "Where files go once every item is acknowledged by Kafka (see processed.layout and cleanup.policy).")
            .define(FAILED_DIR, Type.STRING, "digestflow-home/failed", Importance.HIGH,
                    "Where rejected files go, each next to <name>.error.txt.")
            .define(STATE_DIR, Type.STRING, DEFAULT_STATE_DIR, Importance.MEDIUM,
                    "Durable state: the SHA-256 of every processed file, to recognise a file dropped again. "
                    + "The same folder ./digestflow up uses for its home, so a standalone producer pointed at an up home does not process every file again.")
            .define(INSTANCE_ID, Type.STRING, "ingest-1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "This instance's id; files are claimed into <inbox>/.claimed/<instance.id>/. Unique per instance sharing an inbox.")
            .define(QUIET_PERIOD_MS, Type.LONG, 1000L, Range.atLeast(0), Importance.MEDIUM,
                    "A file is complete when its size and mtime have not changed for this long (files moved in by rename with an older mtime "
                    + "qualify at once). A file written up to shortly before it was read is published only once it has been quiet for twice "
                    + "this long and its size and mtime are unchanged since the read; if it changed, it is processed again as a whole.")
            .define(POLL_INTERVAL_MS, Type.LONG, 1000L, Range.atLeast(10), Importance.LOW,
                    "Inbox rescan interval; the fallback for file systems that send no watch events.")
            .define(MAX_FILE_BYTES, Type.LONG, DEFAULT_MAX_FILE_BYTES, Range.between(1, MAX_MAX_FILE_BYTES), Importance.MEDIUM,
                    "Larger files are rejected to failed/ with the reason. At most 2 GiB - 8 bytes: a file is read into one array.")
            .define(ITEMS_TOPIC, Type.STRING, "digest.items.raw", new ConfigDef.NonEmptyString(), Importance.MEDIUM, "Topic of the item events (raw, before dedup and tagging).")
            .define(FILES_TOPIC, Type.STRING, "digest.files", new ConfigDef.NonEmptyString(), Importance.MEDIUM, "Topic of the file lifecycle events.")
            .define(RETRY_BACKOFF_MS, Type.LONG, 500L, Range.atLeast(1), Importance.LOW,
                    "First backoff when Kafka is unreachable; doubled per attempt with jitter.")
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW, "Upper bound of the backoff.")
            .define(SEND_TIMEOUT_MS, Type.INT, 30_000, Range.atLeast(1000), Importance.LOW,
                    "How long one file's events may wait for Kafka before the file is retried later (producer delivery.timeout.ms).")
            .define(CLAIMS_ADOPT_AFTER_MS, Type.LONG, 300_000L, Range.atLeast(0), Importance.LOW,
                    "Files claimed by another instance id whose instance has been gone (its lock free) this long are taken over and processed by this one.")
            .define(INPUT_FILE_PATTERN, Type.STRING, ".+", new RegexValidator(), Importance.MEDIUM,
                    "Regular expression the whole file name must match to be picked up (e.g. .*\\.(xml|json|md)); other files are left in the inbox "
                    + "untouched, reported once. Hidden names, ~ backups and partial downloads are never picked up.")
            .define(CLEANUP_POLICY, Type.STRING, "move", ConfigDef.CaseInsensitiveValidString.in("move", "delete"), Importance.MEDIUM,
                    "A file whose items are all acknowledged (or that was already processed): move (to processed/) or delete it. "
                    + "Its hash is kept either way, so the same content dropped again is skipped. Rejected files always go to failed/.")
            .define(PROCESSED_LAYOUT, Type.STRING, "date", ConfigDef.CaseInsensitiveValidString.in("date", "flat"), Importance.LOW,
                    "date: processed/yyyy-mm-dd/<name> (the UTC day it finished); flat: processed/<name>. A taken name gets a numbered one, never replaced.")
            .define(PARSE_AHEAD_FILES, Type.INT, 2, Range.between(0, 16), Importance.LOW,
                    "Files claimed, read, hashed and parsed on a pool of this many threads while the file before them is published (0: all on "
                    + "the worker thread). Publishing and every done step stay one file at a time, in order; a file whose turn has not come "
                    + "when the service stops stays claimed and is processed at the next start. Memory: up to this many more files (max.file.bytes "
                    + "each) and their items."),
            ITEMS_TOPIC_DEPRECATED, ITEMS_TOPIC);

    /** A Java regular expression, checked at start-up so that a typo is a named configuration error. */
    static final class RegexValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String key, Object value) {
            try {
                java.util.regex.Pattern.compile(String.valueOf(value), java.util.regex.Pattern.DOTALL);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new ConfigException(key, value, "not a regular expression: " + e.getDescription());
            }
        }

        @Override
        public String toString() {
            return "a Java regular expression";
        }
    }

    public IngestConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
        validate();
    }

    /** Rules across keys. */
    private void validate() {
        Path inbox = inbox();
        for (String key : new String[] {PROCESSED_DIR, FAILED_DIR, STATE_DIR}) {
            Path p = Path.of(getString(key)).toAbsolutePath().normalize();
            if (p.startsWith(inbox)) {
                throw new ConfigException(key, getString(key), "must not be inside " + INBOX_DIR + " (" + inbox + "): the scanner would take what is there for dropped files");
            }
        }
        if (!instanceId().matches("[A-Za-z0-9_][A-Za-z0-9._-]*")) {
            throw new ConfigException(INSTANCE_ID, instanceId(), "must be letters, digits, '.', '_' or '-' (it names a folder)");
        }
        if (getLong(RETRY_BACKOFF_MAX_MS) < getLong(RETRY_BACKOFF_MS)) {
            throw new ConfigException(RETRY_BACKOFF_MAX_MS, getLong(RETRY_BACKOFF_MAX_MS), "must be at least " + RETRY_BACKOFF_MS);
        }
        if (getString(ITEMS_TOPIC).equals(getString(FILES_TOPIC))) {
            throw new ConfigException(FILES_TOPIC, getString(FILES_TOPIC), "must differ from " + ITEMS_TOPIC);
        }
    }

    public Path inbox() {
        return Path.of(getString(INBOX_DIR)).toAbsolutePath().normalize();
    }

    public Path processed() {
        return Path.of(getString(PROCESSED_DIR)).toAbsolutePath().normalize();
    }

    public Path failed() {
        return Path.of(getString(FAILED_DIR)).toAbsolutePath().normalize();
    }

    /**
     * A warning when {@link #STATE_DIR} is left at its default while the old default still holds the
     * processed hashes: without them every file already processed would be published again.
     */
    public java.util.Optional<String> legacyStateDirWarning(Path workingDir) {
        Path legacy = workingDir.resolve(LEGACY_DEFAULT_STATE_DIR).normalize();
        Path current = workingDir.resolve(DEFAULT_STATE_DIR).normalize();
        if (!DEFAULT_STATE_DIR.equals(getString(STATE_DIR)) || !java.nio.file.Files.exists(legacy.resolve("processed-sha256.txt"))
                || java.nio.file.Files.exists(current.resolve("processed-sha256.txt"))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the processed-file hashes are in " + legacy + ", the old default of " + STATE_DIR
                + "; the default is now " + current + " (the layout of ./digestflow up). Move the folder there (mv " + legacy + " "
                + current + "), or set " + STATE_DIR + "=" + legacy + "; until then, a file dropped again is not recognised");
    }

    /** DOTALL: a file name may contain a line break, and '.' must match it too (HostileInputIT drops one). */
    public java.util.regex.Pattern inputFilePattern() {
        return java.util.regex.Pattern.compile(getString(INPUT_FILE_PATTERN), java.util.regex.Pattern.DOTALL);
    }

    public CleanupPolicy cleanupPolicy() {
        return CleanupPolicy.valueOf(getString(CLEANUP_POLICY).toUpperCase(java.util.Locale.ROOT));
    }

    public ProcessedLayout processedLayout() {
        return ProcessedLayout.valueOf(getString(PROCESSED_LAYOUT).toUpperCase(java.util.Locale.ROOT));
    }

    public Path stateDir() {
        return Path.of(getString(STATE_DIR)).toAbsolutePath().normalize();
    }

    public String instanceId() {
        return getString(INSTANCE_ID);
    }

    public Duration quietPeriod() {
        return Duration.ofMillis(getLong(QUIET_PERIOD_MS));
    }

    public Duration pollInterval() {
        return Duration.ofMillis(getLong(POLL_INTERVAL_MS));
    }

    public Duration claimsAdoptAfter() {
        return Duration.ofMillis(getLong(CLAIMS_ADOPT_AFTER_MS));
    }

    public int parseAheadFiles() {
        return getInt(PARSE_AHEAD_FILES);
    }

    public long maxFileBytes() {
        return getLong(MAX_FILE_BYTES);
    }
}
