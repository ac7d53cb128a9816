package dev.digestflow.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.digestflow.bench.measure.ParserThroughput;
import dev.digestflow.bench.measure.ProcessUsage;
import dev.digestflow.bench.measure.StageResult;
import dev.digestflow.bench.profile.JfrProfile;
import dev.digestflow.bench.stage.EndToEndStage;
import dev.digestflow.bench.stage.StageComparison;

/**
 * Everything one bench run measured, with the machine and the configuration, written as
 * {@code bench-report.json} (for tools and trend lines) and {@code bench-report.md} (for people).
 */
public record BenchReport(String generatedAt, Map<String, Object> machine, Map<String, Object> config, EndToEnd endToEnd,
        EndToEndStage.Latency latency, List<Stage> stages, List<ParserThroughput.FormatSpeed> parsers, StageResult scaleRun, List<Target> targets,
        JfrProfile.Summary profile) {

    public record EndToEnd(long items, long documents, double seconds, double itemsPerSecond, double rawBulkDocsPerSecond, double ratioToRawBulk,
            List<ProcessUsage> usage, List<Long> documentsPerSecondByFifth) {
    }

    /**
     * One stage against its baseline: the median pair's figures, the spread of the pair ratios, and
     * every pair (round, which side ran first, both items/s, ratio) so the spread can be checked.
     */
    public record Stage(String stage, String baseline, double itemsPerSecond, double baselineItemsPerSecond, double ratio, double ratioMin,
            double ratioMax, List<Map<String, Object>> pairs, StageResult measured, StageResult baselineRun, JfrProfile.Summary profile) {
        public static Stage of(StageComparison c) {
            List<Map<String, Object>> pairs = new java.util.ArrayList<>();
            for (var p : c.pairs().pairs()) {
                pairs.add(Map.of("round", p.round(), "first", p.stageFirst() ? "stage" : "baseline", "stageItemsPerSecond", p.stage().itemsPerSecond(),
                        "baselineItemsPerSecond", p.baseline().itemsPerSecond(), "ratio", p.ratio()));
            }
            return new Stage(c.stage(), c.baselineDescription(), c.measured().itemsPerSecond(), c.baseline().itemsPerSecond(), c.ratio(),
                    c.pairs().minRatio(), c.pairs().maxRatio(), pairs, c.measured(), c.baseline(), c.pairs().profile());
        }
    }

    public record Target(String name, String target, String measured, boolean met) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("bench-report.json").toFile(), this);
        Files.writeString(dir.resolve("bench-report.md"), markdown(), StandardCharsets.UTF_8);
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# digestflow bench report\n\n");
        md.append("Generated ").append(generatedAt).append(". Machine: ").append(machine.get("cores")).append(" cores, ")
                .append(machine.get("memoryGiB")).append(" GiB, ").append(machine.get("cpu")).append(", ").append(machine.get("jdk")).append(", ")
                .append(machine.get("os")).append(".\n\n");
        md.append("Input: ").append(config.get("files")).append(" files, ").append(config.get("items")).append(" items (")
                .append(config.get("uniqueItems")).append(" unique, ").append(pct((Double) config.get("duplicateShare")))
                .append(" cross-file duplicates), ").append(config.get("bytes")).append(" bytes; formats ").append(config.get("filesByFormat"))
                .append(".\n\n");

        md.append("## Throughput\n\nEach stage and its baseline: a warm-up pair (not counted), then pairs in alternating order; the figures are the "
                + "median pair's, the ratio column gives the median with the min and max of the pairs.\n\n");
        md.append("| stage | items | seconds | items/s | baseline | baseline items/s | ratio (min-max) |\n|---|---:|---:|---:|---|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| **end to end** (drop -> searchable) | %d | %.2f | **%.0f** | raw ES bulk (sink baseline, median pair) | %.0f | **%.2f** |%n",
                endToEnd.items(), endToEnd.seconds(), endToEnd.itemsPerSecond(), endToEnd.rawBulkDocsPerSecond(), endToEnd.ratioToRawBulk()));
        for (Stage s : stages) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.0f | %s | %.0f | **%.2f** (%.2f-%.2f) |%n", s.measured().name(), s.measured().items(),
                    s.measured().seconds(), s.itemsPerSecond(), s.baseline(), s.baselineItemsPerSecond(), s.ratio(), s.ratioMin(), s.ratioMax()));
        }
        md.append("\n| stage | pair | first | stage items/s | baseline items/s | ratio |\n|---|---:|---|---:|---:|---:|\n");
        for (Stage s : stages) {
            for (Map<String, Object> p : s.pairs()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.0f | %.2f |%n", s.stage(), p.get("round"), p.get("first"),
                        (Double) p.get("stageItemsPerSecond"), (Double) p.get("baselineItemsPerSecond"), (Double) p.get("ratio")));
            }
        }

        for (Stage s : stages) {
            if (!s.measured().details().isEmpty() || !s.baselineRun().details().isEmpty()) {
                md.append(String.format(Locale.ROOT, "%n%s: %s; %s: %s.%n", s.measured().name(), s.measured().details(), s.baselineRun().name(),
                        s.baselineRun().details()));
            }
        }

        md.append(String.format(Locale.ROOT, "%n## Latency, drop -> searchable, at %.0f items/s%n%n", latency.targetItemsPerSecond()));
        md.append(String.format(Locale.ROOT, "%d files (%d timed), %d items, achieved %.0f items/s; searchability of each file's item ids polled every %d ms.%n%n",
                latency.files(), latency.filesTimed(), latency.items(), latency.achievedItemsPerSecond(), latency.pollMillis()));
        md.append("| p50 | p95 | p99 | max |\n|---:|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| %.2f s | %.2f s | **%.2f s** | %.2f s |%n", latency.seconds().p50(), latency.seconds().p95(),
                latency.seconds().p99(), latency.seconds().max()));

        md.append("\n## CPU and memory per process\n\nCPU-seconds per item (per document for the sink) and peak RSS during each run.\n\n");
        md.append("| run | process | CPU s | CPU ms/item | peak RSS MiB |\n|---|---|---:|---:|---:|\n");
        usageRows(md, "end to end", endToEnd.usage());
        for (Stage s : stages) {
            usageRows(md, s.measured().name(), s.measured().usage());
            usageRows(md, s.baselineRun().name(), s.baselineRun().usage());
        }

        if (scaleRun != null) {
            md.append("\n## Scale: the same pipeline on more work\n\nThe main end-to-end run and the scale run (a fresh pipeline, throughput only), "
                    + "side by side: CPU per item should stay level and peak RSS flat as the work grows.\n\n");
            md.append("| run | items | items/s | documents searchable per second, by fifth of the run | CPU ms/item, all processes | peak RSS MiB, all processes "
                    + "| per process (CPU ms/item, peak RSS MiB) |\n|---|---:|---:|---|---:|---:|---|\n");
            scaleRow(md, "end to end", endToEnd.items(), endToEnd.itemsPerSecond(), endToEnd.documentsPerSecondByFifth(), endToEnd.usage());
            scaleRow(md, "scale run", scaleRun.items(), scaleRun.itemsPerSecond(), EndToEndStage.documentsPerSecondByFifth(scaleRun),
                    scaleRun.usage());
        }

        md.append("\n## Parsers (in-run, one thread, over the generated corpus)\n\n| format | files | bytes | MB/s | raw UTF-8 decode MB/s | ratio |\n|---|---:|---:|---:|---:|---:|\n");
        for (ParserThroughput.FormatSpeed p : parsers) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %.0f | %.2f |%n", p.format(), p.files(), p.bytes(), p.mbPerSecond(),
                    p.rawDecodeMbPerSecond(), p.ratio()));
        }

        md.append("\n## Targets\n\n| target | goal | measured | met |\n|---|---|---|---|\n");
        for (Target t : targets) {
            md.append("| ").append(t.name()).append(" | ").append(t.target()).append(" | ").append(t.measured()).append(" | ").append(t.met() ? "yes" : "**no**")
                    .append(" |\n");
        }

        if (profile != null) {
            md.append("\n## Profile of the digestflow JVM during an end-to-end pass (JFR; a pass of its own after the measured runs, not counted)\n\n")
                    .append(profile.samples())
                    .append(" execution samples; recording: `").append(profile.file()).append("`.\n\n");
            hotTable(md, "thread group", profile.byThreadGroup());
            hotTable(md, "hottest method (own time)", profile.bySelfMethod());
            hotTable(md, "first digestflow frame on the stack", profile.byDigestflowFrame());
        }
        for (Stage s : stages) {
            if (s.profile() != null) {
                md.append("\n## Profile of the digestflow JVM during one more ").append(s.stage()).append(" stage round (JFR, not counted)\n\n")
                        .append(s.profile().samples()).append(" execution samples; recording: `").append(s.profile().file()).append("`.\n\n");
                hotTable(md, "thread group", s.profile().byThreadGroup());
                hotTable(md, "hottest method (own time)", s.profile().bySelfMethod());
                hotTable(md, "first digestflow frame on the stack", s.profile().byDigestflowFrame());
            }
        }

        md.append("\n## Configuration\n\n| key | value |\n|---|---|\n");
        config.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        return md.toString();
    }

    private static void scaleRow(StringBuilder md, String run, long items, double itemsPerSecond, List<Long> byFifth, List<ProcessUsage> usage) {
        StringBuilder each = new StringBuilder();
        for (ProcessUsage u : usage) {
            each.append(each.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s %.3f, %.0f", u.process().split(" ")[0],
                    u.cpuSecondsPerItem() * 1000, u.peakRssMb()));
        }
        String fifths = String.join(", ", byFifth.stream().map(String::valueOf).toList());
        md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %s | %.3f | %.0f | %s |%n", run, items, itemsPerSecond, fifths,
                ProcessUsage.totalCpuMsPerItem(usage), ProcessUsage.totalPeakRssMb(usage), each));
    }

    private static void usageRows(StringBuilder md, String run, List<ProcessUsage> usage) {
        for (ProcessUsage u : usage) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.3f | %.0f%s |%n", run, u.process(), u.cpuSeconds(), u.cpuSecondsPerItem() * 1000,
                    u.peakRssMb(), u.peakPerPhase() ? "" : " (lifetime)"));
        }
    }

    private static void hotTable(StringBuilder md, String what, List<JfrProfile.Hot> rows) {
        md.append("| ").append(what).append(" | samples | share |\n|---|---:|---:|\n");
        rows.forEach(h -> md.append(String.format(Locale.ROOT, "| `%s` | %d | %.1f %% |%n", h.name(), h.samples(), h.share() * 100)));
        md.append('\n');
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }
}
