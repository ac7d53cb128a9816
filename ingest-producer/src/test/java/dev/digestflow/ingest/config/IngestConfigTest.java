package dev.digestflow.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.digestflow.service.config.ServiceConfigSource;

class IngestConfigTest {

    @Test
    void defaultsFollowTheContract() {
        IngestConfig c = new IngestConfig(Map.of());
        assertThat(c.getString(IngestConfig.BOOTSTRAP_SERVERS)).isEqualTo("127.0.0.1:9092");
        assertThat(c.getString(IngestConfig.SCHEMA_REGISTRY_URL)).isEqualTo("http://127.0.0.1:8081");
        assertThat(c.getString(IngestConfig.ITEMS_TOPIC)).isEqualTo("digest.items.raw");
        assertThat(c.getString(IngestConfig.FILES_TOPIC)).isEqualTo("digest.files");
        assertThat(c.maxFileBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.quietPeriod().toMillis()).isEqualTo(1000);
        assertThat(c.inbox().endsWith(Path.of("digestflow-home", "inbox"))).isTrue();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> new IngestConfig(Map.of(IngestConfig.MAX_FILE_BYTES, "0"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(IngestConfig.MAX_FILE_BYTES);
        assertThatThrownBy(() -> new IngestConfig(Map.of(IngestConfig.QUIET_PERIOD_MS, "soon"))).hasMessageContaining(IngestConfig.QUIET_PERIOD_MS);
        assertThatThrownBy(() -> new IngestConfig(Map.of(IngestConfig.INSTANCE_ID, "../escape"))).hasMessageContaining(IngestConfig.INSTANCE_ID);
    }

    @Test
    void crossKeyRulesAreChecked() {
        assertThatThrownBy(() -> new IngestConfig(Map.of(IngestConfig.INBOX_DIR, "/tmp/in", IngestConfig.PROCESSED_DIR, "/tmp/in/done")))
                .hasMessageContaining(IngestConfig.PROCESSED_DIR).hasMessageContaining("must not be inside");
        assertThatThrownBy(() -> new IngestConfig(Map.of(IngestConfig.FILES_TOPIC, "digest.items.raw")))
                .hasMessageContaining(IngestConfig.FILES_TOPIC);
        assertThatThrownBy(() -> new IngestConfig(Map.of(IngestConfig.RETRY_BACKOFF_MS, "5000", IngestConfig.RETRY_BACKOFF_MAX_MS, "100")))
                .hasMessageContaining(IngestConfig.RETRY_BACKOFF_MAX_MS);
    }

    /** The scanner would move a state folder inside the inbox to failed/ as "not a file". */
    @Test
    void aStateFolderInsideTheInboxIsRefused() {
        assertThatThrownBy(() -> new IngestConfig(Map.of(IngestConfig.INBOX_DIR, "/tmp/in", IngestConfig.STATE_DIR, "/tmp/in/state")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(IngestConfig.STATE_DIR).hasMessageContaining("must not be inside");
    }

    /** A file is read into one array: over 2 GiB the read would silently stop short. */
    @Test
    void aFileLimitOverWhatOneArrayHoldsIsRefused() {
        assertThatThrownBy(() -> new IngestConfig(Map.of(IngestConfig.MAX_FILE_BYTES, String.valueOf(3L << 30))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(IngestConfig.MAX_FILE_BYTES);
        assertThat(new IngestConfig(Map.of(IngestConfig.MAX_FILE_BYTES, String.valueOf(IngestConfig.MAX_MAX_FILE_BYTES))).maxFileBytes())
                .isEqualTo(Integer.MAX_VALUE - 8);
    }

    @Test
    void environmentOverridesTheFileAndKafkaSettingsPassThrough(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("ingest.properties"), "inbox.dir=/from/file\nquiet.period.ms=5000\n");
        Map<String, Object> values = ServiceConfigSource.load(file, IngestConfig.CONFIG_DEF.names(), Map.of(
                "DIGESTFLOW_INBOX_DIR", "/from/env",
                "DIGESTFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "PATH", "/usr/bin"));
        IngestConfig c = new IngestConfig(values);
        assertThat(c.inbox()).isEqualTo(Path.of("/from/env"));
        assertThat(c.quietPeriod().toMillis()).isEqualTo(5000);
        assertThat(c.kafkaPassThrough()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(ServiceConfigSource.envName("max.file.bytes")).isEqualTo("DIGESTFLOW_MAX_FILE_BYTES");
        assertThat(List.copyOf(IngestConfig.CONFIG_DEF.names())).allSatisfy(k -> assertThat(IngestConfig.CONFIG_DEF.configKeys().get(k).documentation).isNotBlank());
    }

    /** One layout for up and the standalone producer; the old standalone default is found and reported with what to do. */
    @Test
    void theStateFolderIsUpsLayoutAndTheOldDefaultIsReported(@org.junit.jupiter.api.io.TempDir java.nio.file.Path cwd) throws Exception {
        IngestConfig defaults = new IngestConfig(java.util.Map.of());
        assertThat(defaults.getString(IngestConfig.STATE_DIR)).isEqualTo("digestflow-home/data/ingest-state");
        assertThat(defaults.legacyStateDirWarning(cwd)).isEmpty();
        java.nio.file.Path legacy = java.nio.file.Files.createDirectories(cwd.resolve("digestflow-home/data/ingest"));
        java.nio.file.Files.writeString(legacy.resolve("processed-sha256.txt"), "ab".repeat(32) + "\n");
        assertThat(defaults.legacyStateDirWarning(cwd)).get().asString().contains("old default of state.dir").contains("mv ");
        assertThat(new IngestConfig(java.util.Map.of(IngestConfig.STATE_DIR, legacy.toString())).legacyStateDirWarning(cwd)).isEmpty();
    }

    @Test
    void theDefaultInputPatternTakesEveryNameEvenOneWithALineBreak() {
        IngestConfig c = new IngestConfig(java.util.Map.of());
        assertThat(c.inputFilePattern().matcher("two\nlines.jsonl").matches()).isTrue();
        assertThat(new IngestConfig(java.util.Map.of(IngestConfig.INPUT_FILE_PATTERN, ".*\\.xml")).inputFilePattern().matcher("a\nb.xml").matches()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new IngestConfig(java.util.Map.of(IngestConfig.INPUT_FILE_PATTERN, "(")))
                .hasMessageContaining(IngestConfig.INPUT_FILE_PATTERN).hasMessageContaining("not a regular expression");
    }
}
