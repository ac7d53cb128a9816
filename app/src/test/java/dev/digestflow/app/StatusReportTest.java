package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class StatusReportTest {

    @Test
    void reconciledWhenEveryAnnouncedItemIsPublishedAndEveryUniqueItemIsIndexedOrRejected() {
        StatusReport ok = new StatusReport(3, 1, 1, 89, 89, 85, 85, 84, 2, 1, Map.of("llm", 40L));
        assertThat(ok.reconciled()).isTrue();
        assertThat(ok.render()).contains("reconciled: 89 items announced = 89 published; 85 unique = 84 indexed + 1 rejected")
                .contains("4 duplicates dropped").contains("llm (40)");
    }

    @Test
    void saysPlainlyWhatDisagrees() {
        StatusReport behind = new StatusReport(3, 0, 0, 89, 80, 75, 75, 70, 0, 0, Map.of());
        assertThat(behind.reconciled()).isFalse();
        assertThat(behind.disagreements()).containsExactly("file events announce 89 items but 80 are on the raw topic",
                "75 unique tagged items, but 70 documents in Elasticsearch + 0 rejected by the sink (still indexing, or the sink is behind)");
        assertThat(behind.render()).contains("NOT reconciled");
        assertThat(new StatusReport(1, 0, 0, 2, 2, 3, 2, 2, 0, 0, Map.of()).disagreements()).containsExactly(
                "the tagged topic holds 3 records for 2 unique items (dedup let 1 through twice)");
    }

    @Test
    void endpointsRoundTripThroughTheHome(@TempDir Path home) throws Exception {
        Endpoints e = new Endpoints("127.0.0.1:9092", "http://127.0.0.1:8081", "http://127.0.0.1:9200", 8091, 8092, 8093);
        e.write(home);
        assertThat(Endpoints.read(home)).isEqualTo(e);
    }

    @Test
    void statusAndIngestWithoutARunningInstanceExplainAndExit2(@TempDir Path home) {
        CommandLine cli = new CommandLine(new DigestflowCli());
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        assertThat(cli.execute("status", "--home", home.toString())).isEqualTo(2);
        assertThat(cli.execute("ingest", "--home", home.toString(), "README.md")).isEqualTo(2);
        assertThat(cli.execute("bogus")).isEqualTo(2);
    }
}
