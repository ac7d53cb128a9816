package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class StatusReportTest {

    private static StatusReport report(long announced, long published, long rawIds, long taggedRecords, long taggedIds, long deadInEnrich,
            long missingAfterEnrich, long indexed, long deadInSink, List<String> partial) {
        return new StatusReport(new StatusReport.Files(3, 1, 1, 6), new StatusReport.Items(announced, published, announced + 2, rawIds, taggedRecords,
                taggedIds, deadInEnrich, missingAfterEnrich, deadInSink, 0, 0), deadInEnrich + deadInSink, indexed, Map.of("llm", 40L), Map.of(), Map.of(), partial);
    }

    @Test
    void reconciledWhenEveryHandOverAccountsForEveryItem() {
        StatusReport ok = report(89, 89, 86, 85, 85, 1, 0, 84, 1, List.of());
        assertThat(ok.reconciled()).isTrue();
        assertThat(ok.render()).contains("reconciled: 89 items announced = 89 published; 86 item ids = 85 tagged + 1 dead-lettered by enrich; "
                + "85 tagged = 84 indexed + 1 dead-lettered by the sink").contains("llm (40)").contains("5 duplicates dropped");
    }

    @Test
    void jsonForScriptsCarriesTheCountsAndTheVerdict() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report(89, 80, 80, 75, 75, 0, 5, 70, 0, List.of()).toJson());
        assertThat(json.get("reconciled").asBoolean()).isFalse();
        assertThat(json.get("disagreements")).hasSize(3);
        assertThat(json.at("/items/announced").asLong()).isEqualTo(89);
        assertThat(json.at("/files/processed").asLong()).isEqualTo(3);
        assertThat(json.get("indexed").asLong()).isEqualTo(70);
        assertThat(json.at("/topTags/llm").asLong()).isEqualTo(40);
        assertThat(json.get("partial")).isEmpty();
    }

    @Test
    void saysPlainlyWhatDisagrees() {
        StatusReport behind = report(89, 80, 80, 75, 75, 0, 5, 70, 0, List.of());
        assertThat(behind.reconciled()).isFalse();
        assertThat(behind.disagreements()).containsExactly(
                "ingest: the processed files announce 89 items but 80 of them are on the raw topic",
                "enrich: 5 of 80 raw item ids are neither tagged nor dead-lettered (still processing, or enrich-streams is behind)",
                "sink: 75 tagged items, but 70 documents in Elasticsearch + 0 dead-lettered by the sink (still indexing, or the sink is behind)");
        assertThat(behind.render()).contains("NOT reconciled");
        assertThat(report(2, 2, 2, 3, 2, 0, 0, 2, 0, List.of()).disagreements()).containsExactly(
                "enrich: the tagged topic holds 3 records for 2 item ids (dedup let 1 through twice)");
    }

    @Test
    void retagChangesArePrintedPerTag() {
        StatusReport r = new StatusReport(new StatusReport.Files(1, 0, 0, 1), new StatusReport.Items(4, 4, 4, 4, 4, 4, 0, 0, 0, 2, 0), 0, 4, Map.of(),
                Map.of("sha256:0123456789ab", 2L), Map.of("quantum", new int[] {2, 0}, "untagged", new int[] {0, 1}), List.of());
        assertThat(r.reconciled()).isTrue();
        assertThat(r.render()).contains("2 records re-tagged").contains("quantum +2 -0").contains("untagged +0 -1").contains("sha256:0123456789ab (2)");
    }

    @Test
    void aPartialReadIsNeverReconciledAndSaysSo() {
        StatusReport partial = report(89, 89, 86, 85, 85, 1, 0, 84, 1, List.of("digest.items.raw: read 10 records, 5 offsets still unread after 60 s"));
        assertThat(partial.reconciled()).isFalse();
        assertThat(partial.render()).contains("PARTIAL: digest.items.raw: read 10 records").contains("the counts agree, but they are partial");
    }

    @Test
    void endpointsRoundTripThroughTheHome(@TempDir Path home) throws Exception {
        Endpoints e = new Endpoints("127.0.0.1:9092", "http://127.0.0.1:8081", "http://127.0.0.1:9200", 8091, 8092, 8093);
        e.write(home);
        assertThat(Endpoints.read(home)).isEqualTo(e);
    }

    /** status, ingest and up take their home from DIGESTFLOW_HOME when --home is not given (a real JVM: the variable is the process's). */
    @Test
    void theHomeComesFromDigestflowHome(@TempDir Path home) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), DigestflowCli.class.getName(), "status").redirectErrorStream(true);
        pb.environment().put("DIGESTFLOW_HOME", home.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isEqualTo(2);
        assertThat(out).contains("no running instance found").contains(home.toString());
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
