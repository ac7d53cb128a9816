package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.sink.config.SinkConfig;
import picocli.CommandLine;

/** up and check take the services' own keys, from a file and from DIGESTFLOW_* variables, over up's defaults. */
class UpConfigurationTest {

    private static Pipeline.Configs configs(UpConfiguration user, Path home) {
        return Pipeline.configs("127.0.0.1:9092", "http://127.0.0.1:8081", "http://127.0.0.1:9200", PipelineNames.defaults(), home,
                Pipeline.Ports.contract(), user);
    }

    @Test
    void fileKeysGoToTheirServiceOrToEveryServiceThatHasThemAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
        Path taxonomy = dir.resolve("taxonomy.yaml");
        Files.writeString(taxonomy, "tags:\n  - name: agents\n    keywords: [agent]\n");
        Path file = dir.resolve("up.properties");
        Files.writeString(file, String.join("\n",
                "enrich-streams.taxonomy.file=" + taxonomy,
                "index-sink.es.username=elastic",
                "index-sink.es.password=SECRET-IN-FILE",
                "kafka.security.protocol=SASL_PLAINTEXT",
                "max.file.bytes=1000",
                "retry.backoff.max.ms=60000"));
        UpConfiguration user = UpConfiguration.load(file, Map.of("DIGESTFLOW_MAX_FILE_BYTES", "2000", "DIGESTFLOW_KAFKA_SASL_MECHANISM", "PLAIN"));
        Pipeline.Configs c = configs(user, dir.resolve("home"));
        assertThat(c.enrich().getString(EnrichConfig.TAXONOMY_FILE)).isEqualTo(taxonomy.toString());
        assertThat(c.sink().getString(SinkConfig.ES_USERNAME)).isEqualTo("elastic");
        assertThat(c.ingest().getLong(IngestConfig.MAX_FILE_BYTES)).as("the variable over the file").isEqualTo(2000L);
        for (var config : java.util.List.of(c.ingest(), c.enrich(), c.sink())) {
            assertThat(config.kafkaPassThrough()).containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "PLAIN");
            assertThat(config.getLong("retry.backoff.max.ms")).as("a key every service has reaches all three").isEqualTo(60000L);
        }
        // up's own settings stay where the user did not set them.
        assertThat(c.ingest().getString(IngestConfig.INBOX_DIR)).isEqualTo(dir.resolve("home").resolve("inbox").toString());
        assertThat(user.applied()).contains("environment DIGESTFLOW_MAX_FILE_BYTES", "environment DIGESTFLOW_KAFKA_SASL_MECHANISM")
                .anySatisfy(a -> assertThat(a).startsWith("file ").contains("up.properties").contains("6 keys"));
        assertThat(String.join(" ", user.applied())).as("names only, never values").doesNotContain("SECRET-IN-FILE").doesNotContain("2000");
    }

    @Test
    void aKeyNoServiceKnowsIsRefusedByNameAndABadValueNamesItsKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("up.properties");
        Files.writeString(file, "max.fle.bytes=1000\n");
        assertThatThrownBy(() -> UpConfiguration.load(file, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("max.fle.bytes")
                .hasMessageContaining("unknown key");
        UpConfiguration bad = UpConfiguration.load(null, Map.of("DIGESTFLOW_MAX_FILE_BYTES", "-5"));
        assertThatThrownBy(() -> configs(bad, dir)).isInstanceOf(ConfigException.class).hasMessageContaining("max.file.bytes");
        Files.writeString(file, "enrich-streams.taxonomy.file=" + dir.resolve("missing.yaml") + "\n");
        assertThatThrownBy(() -> configs(UpConfiguration.load(file, Map.of()), dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("taxonomy.file");
    }

    @Test
    void checkSaysOkOrExits2NamingTheKey(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.properties");
        Files.writeString(good, "index-sink.bulk.max.operations=500\n");
        assertThat(check("--home", dir.toString(), "--config", good.toString())).isZero();
        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, "index-sink.bulk.max.operations=-1\n");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DigestflowCli());
        cli.setErr(new PrintWriter(err));
        assertThat(check("--home", dir.toString(), "--config", bad.toString())).isEqualTo(2);
        Path taxonomy = dir.resolve("broken.yaml");
        Files.writeString(taxonomy, "tags:\n  - name: agents\n    keywords: [\n");
        Files.writeString(bad, "enrich-streams.taxonomy.file=" + taxonomy + "\n");
        assertThat(check("--config", bad.toString())).isEqualTo(2);

        // A taxonomy's examples: missing, then with a bad line, then valid; check says what the learned part trained on.
        Files.writeString(taxonomy, "tags:\n  - name: agents\n    keywords: [agent]\nexamples: ex.jsonl\n");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        java.io.PrintStream stderr = System.err;
        try {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            System.setErr(new java.io.PrintStream(errors, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(check("--config", bad.toString())).isEqualTo(2);
            assertThat(errors.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("examples 'ex.jsonl' cannot be read");
            Files.writeString(dir.resolve("ex.jsonl"), "{\"title\": \"An agent\", \"tags\": [\"agent\"]}\n");
            assertThat(check("--config", bad.toString())).isEqualTo(2);
            assertThat(errors.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("line 1: tag 'agent' is not defined in the taxonomy");
            Files.writeString(dir.resolve("ex.jsonl"), "{\"title\": \"An agent\", \"tags\": [\"agents\"]}\n{\"title\": \"Rain\", \"tags\": []}\n");
            assertThat(check("--config", bad.toString())).isEqualTo(0);
            assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("1 tag, a learned part for 0 of them from 2 examples in ex.jsonl");
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private static int check(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "check";
        System.arraycopy(args, 0, all, 1, args.length);
        return new CommandLine(new DigestflowCli()).execute(all);
    }
}
