package dev.digestflow.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import com.sun.management.OperatingSystemMXBean;

import dev.digestflow.bench.corpus.Corpus;
import dev.digestflow.bench.corpus.CorpusGenerator;
import dev.digestflow.bench.measure.ParserThroughput;
import dev.digestflow.bench.report.BenchReport;
import dev.digestflow.bench.measure.ProcessUsage;
import dev.digestflow.bench.measure.StageResult;
import dev.digestflow.bench.stage.BenchEnvironment;
import dev.digestflow.bench.stage.EndToEndStage;
import dev.digestflow.bench.stage.ProducerStage;
import dev.digestflow.bench.stage.SinkStage;
import dev.digestflow.bench.stage.StreamsStage;
import dev.digestflow.sink.config.SinkConfig;

/**
 * One bench run on a given stack: generate the corpus, time each stage against its raw baseline,
 * then the whole pipeline for throughput and latency, and write the report. Stages run one after
 * another, never concurrently, so each has the machine to itself. Each stage and its baseline run
 * on the same records as a warm-up pair (thrown away), then {@code --pairs} pairs in alternating
 * order ({@link dev.digestflow.bench.measure.AlternatedPairs}); the report gives the median pair's
 * ratio with the min and max.
 */
public final class BenchRun {

    /** Targets of issue 16 (performance, round 2), reported whether met or not. */
    static final double TARGET_E2E_TO_RAW_BULK = 0.4;
    static final Map<String, Double> TARGET_STAGE_RATIO = Map.of("producer", 0.3, "streams", 0.4, "sink", 0.85);
    static final double TARGET_E2E_CPU_MS_PER_ITEM = 0.8;
    static final double TARGET_P99_SECONDS = 1.5;
    static final double TARGET_PARSER_MB_PER_CORE = 60;
    /** Peak RSS of all processes in the scale run, at most this much over the main run's. */
    static final double TARGET_SCALE_RSS_GROWTH = 0.10;

    /**
     * @param scaleItems items of the scale run after the main one (0: none)
     */
    public record Options(int items, double rate, double duplicateShare, long seed, int latencySeconds, boolean profile, Path samples, Path out, int pairs,
            int scaleItems) {
        public Options {
            if (scaleItems < 0) {
                throw new IllegalArgumentException("--scale-items must be 0 (no scale run) or more, got " + scaleItems);
            }
            if (items < 1) {
                throw new IllegalArgumentException("--items must be at least 1, got " + items);
            }
            if (rate <= 0) {
                throw new IllegalArgumentException("--rate must be positive, got " + rate);
            }
            if (latencySeconds < 1) {
                throw new IllegalArgumentException("--latency-seconds must be at least 1, got " + latencySeconds);
            }
            if (pairs < 1) {
                throw new IllegalArgumentException("--pairs must be at least 1, got " + pairs);
            }
        }

        int latencyItems() {
            return (int) Math.max(1, Math.min(items, Math.round(rate * latencySeconds)));
        }
    }

    private BenchRun() {
    }

    public static BenchReport run(Options o, BenchEnvironment env, Map<String, Object> stackConfig, Consumer<String> progress) throws Exception {
        CorpusGenerator generator = o.samples() == null ? CorpusGenerator.fromClasspath() : CorpusGenerator.fromDirectory(o.samples());
        // One generation, cut in three, so that no part repeats another's titles except as the corpus's planned duplicates:
        // the throughput run, the latency run, and the profiled pass (a quarter of the throughput run's items).
        int profileItems = Math.max(1, o.items() / 4);
        List<Corpus> parts = generator.generate(o.items() + o.latencyItems() + profileItems, o.duplicateShare(), o.seed(), "digest").splitAtItems(o.items());
        Corpus corpus = parts.get(0);
        List<Corpus> rest = parts.get(1).splitAtItems(o.latencyItems());
        Corpus latencyCorpus = rest.get(0);
        Corpus profileCorpus = rest.get(1);
        progress.accept(String.format(Locale.ROOT, "corpus: %d files, %d items (%d unique), %.1f MB, formats %s; latency run: %d files, %d items",
                corpus.files().size(), corpus.items(), corpus.uniqueItems(), corpus.bytes() / 1e6, corpus.filesByFormat(), latencyCorpus.files().size(),
                latencyCorpus.items()));

        Files.createDirectories(o.out());
        List<ParserThroughput.FormatSpeed> parsers = ParserThroughput.measure(corpus);
        progress.accept("parsers measured; producer stage ...");
        ProducerStage.Outcome producer = ProducerStage.run(env, corpus, o.pairs(), profileFile(o, "producer"), progress);
        progress.accept(line(producer.comparison().stage(), producer.comparison().measured().itemsPerSecond(), producer.comparison().ratio()));
        StreamsStage.Outcome streams = StreamsStage.run(env, corpus, producer.rawTopic(), o.pairs(), profileFile(o, "enrich"), progress);
        progress.accept(line(streams.comparison().stage(), streams.comparison().measured().itemsPerSecond(), streams.comparison().ratio()));
        SinkStage.Outcome sink = SinkStage.run(env, streams.taggedTopic(), o.pairs(), profileFile(o, "sink"), progress);
        progress.accept(line(sink.comparison().stage(), sink.comparison().measured().itemsPerSecond(), sink.comparison().ratio()));
        progress.accept("end to end: " + corpus.items() + " items at once, then " + latencyCorpus.items() + " at " + o.rate() + " items/s ...");
        EndToEndStage.Outcome e2e = EndToEndStage.run(env, corpus, latencyCorpus, o.rate(), profileCorpus, o.profile() ? o.out().resolve("end-to-end.jfr") : null);

        StageResult scaleRun = null;
        if (o.scaleItems() > 0) {
            Corpus scaleCorpus = generator.generate(o.scaleItems(), o.duplicateShare(), o.seed() + 1, "scale").splitAtItems(o.scaleItems()).get(0);
            progress.accept("scale run: " + scaleCorpus.items() + " items (" + scaleCorpus.files().size() + " files) through a fresh pipeline ...");
            scaleRun = EndToEndStage.scale(env, scaleCorpus);
            progress.accept(String.format(Locale.ROOT, "scale run: %.0f items/s", scaleRun.itemsPerSecond()));
        }

        double rawBulk = sink.comparison().baseline().itemsPerSecond();
        BenchReport.EndToEnd endToEnd = new BenchReport.EndToEnd(e2e.throughput().items(), e2e.documents(), e2e.throughput().seconds(),
                e2e.throughput().itemsPerSecond(), rawBulk, e2e.throughput().itemsPerSecond() / rawBulk, e2e.throughput().usage(),
                EndToEndStage.documentsPerSecondByFifth(e2e.throughput()));
        List<BenchReport.Stage> stages = List.of(BenchReport.Stage.of(producer.comparison()), BenchReport.Stage.of(streams.comparison()),
                BenchReport.Stage.of(sink.comparison()));
        BenchReport report = new BenchReport(Instant.now().toString(), machine(), config(o, corpus, latencyCorpus, streams.guarantee(), sink.config(), stackConfig),
                endToEnd, e2e.latency(), stages, parsers, scaleRun, targets(endToEnd, stages, e2e.latency(), parsers, scaleRun), e2e.profile());
        report.write(o.out());
        return report;
    }

    /** Where a stage's profiled round writes its recording; none with {@code --no-profile}. */
    private static Path profileFile(Options o, String stage) {
        return o.profile() ? o.out().resolve(stage + "-stage.jfr") : null;
    }

    private static String line(String stage, double itemsPerSecond, double ratio) {
        return String.format(Locale.ROOT, "%s stage (median pair): %.0f items/s, %.2f of its baseline", stage, itemsPerSecond, ratio);
    }

    static List<BenchReport.Target> targets(BenchReport.EndToEnd e2e, List<BenchReport.Stage> stages, EndToEndStage.Latency latency,
            List<ParserThroughput.FormatSpeed> parsers, StageResult scaleRun) {
        List<BenchReport.Target> t = new java.util.ArrayList<>();
        t.add(new BenchReport.Target("end-to-end throughput vs raw ES bulk", ">= " + TARGET_E2E_TO_RAW_BULK,
                String.format(Locale.ROOT, "%.2f", e2e.ratioToRawBulk()), e2e.ratioToRawBulk() >= TARGET_E2E_TO_RAW_BULK));
        for (BenchReport.Stage s : stages) {
            double target = TARGET_STAGE_RATIO.get(s.stage());
            t.add(new BenchReport.Target(s.stage() + " stage vs " + s.baselineRun().name() + " (median pair)", ">= " + target,
                    String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", s.ratio(), s.ratioMin(), s.ratioMax()), s.ratio() >= target));
        }
        double cpuMs = ProcessUsage.totalCpuMsPerItem(e2e.usage());
        t.add(new BenchReport.Target("end-to-end CPU per item, all processes", "<= " + TARGET_E2E_CPU_MS_PER_ITEM + " ms",
                String.format(Locale.ROOT, "%.2f ms", cpuMs), cpuMs <= TARGET_E2E_CPU_MS_PER_ITEM));
        t.add(new BenchReport.Target("end-to-end p99 latency at " + (int) latency.targetItemsPerSecond() + " items/s", "<= " + TARGET_P99_SECONDS + " s",
                String.format(Locale.ROOT, "%.2f s", latency.seconds().p99()), latency.seconds().p99() <= TARGET_P99_SECONDS));
        double slowest = parsers.stream().mapToDouble(ParserThroughput.FormatSpeed::mbPerSecond).min().orElse(Double.NaN);
        String which = parsers.stream().min(java.util.Comparator.comparingDouble(ParserThroughput.FormatSpeed::mbPerSecond))
                .map(ParserThroughput.FormatSpeed::format).orElse("-");
        t.add(new BenchReport.Target("parsers, slowest format, one core", ">= " + (int) TARGET_PARSER_MB_PER_CORE + " MB/s",
                String.format(Locale.ROOT, "%.0f MB/s (%s)", slowest, which), slowest >= TARGET_PARSER_MB_PER_CORE));
        if (scaleRun != null) {
            double main = ProcessUsage.totalPeakRssMb(e2e.usage());
            double large = ProcessUsage.totalPeakRssMb(scaleRun.usage());
            t.add(new BenchReport.Target("peak RSS, all processes, " + scaleRun.items() + " items vs " + e2e.items(),
                    "<= +" + Math.round(TARGET_SCALE_RSS_GROWTH * 100) + " %", String.format(Locale.ROOT, "%.0f vs %.0f MiB (%+.0f %%)", large, main,
                            (large / main - 1) * 100), large <= main * (1 + TARGET_SCALE_RSS_GROWTH)));
        }
        return t;
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memoryGiB", Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024)));
        m.put("cpu", cpuModel());
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("benchJvmMaxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        m.put("benchJvmArguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
        return m;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static Map<String, Object> config(Options o, Corpus corpus, Corpus latency, String guarantee, SinkConfig sink, Map<String, Object> stack) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("items", corpus.items());
        c.put("uniqueItems", corpus.uniqueItems());
        c.put("files", corpus.files().size());
        c.put("bytes", corpus.bytes());
        c.put("filesByFormat", corpus.filesByFormat());
        c.put("duplicateShare", o.duplicateShare());
        c.put("seed", o.seed());
        c.put("latencyRateItemsPerSecond", o.rate());
        c.put("latencyItems", latency.items());
        c.put("latencyFiles", latency.files().size());
        c.put("enrich.processing.guarantee", guarantee);
        c.put("topic.partitions", 3);
        for (String key : List.of(SinkConfig.BULK_MAX_OPERATIONS, SinkConfig.BULK_MAX_BYTES, SinkConfig.BULK_FLUSH_INTERVAL_MS,
                SinkConfig.BULK_CONCURRENT_REQUESTS, SinkConfig.DOCUMENT_VERSIONING)) {
            c.put("sink." + key, String.valueOf(sink.values().get(key)));
        }
        c.putAll(stack);
        return c;
    }
}
