package dev.digestflow.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.digestflow.bench.measure.ProcessProbe;
import dev.digestflow.bench.report.BenchReport;
import dev.digestflow.bench.stage.BenchEnvironment;
import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.localstack.LocalStack;
import dev.digestflow.localstack.LocalStackConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./digestflow bench}: starts a private local stack on free ports (never the one {@code up}
 * uses), runs {@link BenchRun} on it, writes the report and removes the stack's data.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = {
        "Measure digestflow on this machine: end-to-end throughput and latency, and each stage against a raw baseline (raw Kafka producer,",
        "pass-through Streams topology, raw BulkIngester loop), on a private local stack. Writes bench-report.md and bench-report.json."})
public final class BenchCommand implements Callable<Integer> {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Option(names = "--items", defaultValue = "20000", description = "Items in the throughput corpus (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--rate", defaultValue = "200", description = "Items/s for the latency run (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--latency-seconds", defaultValue = "60", description = "Length of the latency run at --rate, capped at --items items (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--duplicates", defaultValue = "0.10", description = "Share of items repeating an earlier file's item (default: ${DEFAULT-VALUE}).")
    double duplicates;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the corpus generator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "bench-results", description = "Folder for the reports, the JFR recording and logs (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--samples", description = "Folder of sample digests to build the corpus from (default: the samples built into the bench).")
    Path samples;

    @Option(names = "--no-profile", negatable = false, description = "Skip the JFR recordings (each stage's extra round and the end-to-end profiled pass).")
    boolean noProfile;

    @Option(names = "--phase-timeout", defaultValue = "PT10M", description = "Give up on a phase after this long (default: ${DEFAULT-VALUE}).")
    Duration phaseTimeout;

    @Option(names = "--pairs", defaultValue = "3",
            description = "Measured pairs per stage, after a warm-up pair, in alternating order (stage first, then baseline first, ...) (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--scale-items", defaultValue = "0", description = {"After the main run, this many items through a fresh pipeline (throughput only), "
            + "reported beside the main end-to-end run: items/s, CPU per item and peak RSS per process as the work grows (default: none)."})
    int scaleItems;

    @Option(names = "--enrich", paramLabel = "KEY=VALUE", description = {"An enrich-streams setting for every enrich run of the bench (its stage and the "
            + "end-to-end pipelines), e.g. tag.topics.enabled=false or commit.interval.ms=1000, to price a setting; repeatable."})
    Map<String, String> enrich = new LinkedHashMap<>();

    @Option(names = "--keep-stack-data", description = "Keep the private stack's Kafka and Elasticsearch data under --out.")
    boolean keepStackData;

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "digestflow-bench-logback.xml");
        }
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        BenchRun.Options options = new BenchRun.Options(items, rate, duplicates, seed, latencySeconds, !noProfile, samples, out.toAbsolutePath(), pairs,
                scaleItems);
        for (String key : enrich.keySet()) {
            if (!EnrichConfig.CONFIG_DEF.names().contains(key)) {
                System.err.println("bench: --enrich " + key + ": enrich-streams has no such setting (see the README's enrich-streams table)");
                return 2;
            }
        }
        Path outDir = out.toAbsolutePath().normalize();
        Path stackDir = outDir.resolve("stack");
        Files.createDirectories(outDir.resolve("logs"));
        System.setProperty("digestflow.log.dir", outDir.resolve("logs").toString());
        // Leftovers of an interrupted run would be seen as already-ingested files.
        deleteTree(stackDir);
        deleteTree(outDir.resolve("work"));
        say("starting a private local stack (free ports) in " + stackDir + " ...");
        LocalStackConfig stackConfig = LocalStackConfig.builder(stackDir).freePorts().build();
        try (LocalStack stack = LocalStack.start(stackConfig)) {
            say("stack ready: " + stack.summary().replace('\n', ' '));
            List<ProcessProbe> probes = List.of(ProcessProbe.self("digestflow JVM (services, registry, bench driver)"),
                    new ProcessProbe("kafka broker", stack.kafka().process().pid()), new ProcessProbe("elasticsearch", stack.elasticsearch().process().pid()));
            BenchEnvironment env = new BenchEnvironment(stack.bootstrapServers(), stack.registryUrl(), stack.elasticsearchUrl(), outDir.resolve("work"),
                    "bench-" + Long.toString(System.currentTimeMillis(), 36), probes, phaseTimeout, Map.copyOf(enrich));
            Map<String, Object> stackSettings = new LinkedHashMap<>();
            stackSettings.put("stack.kafkaHeapMb", stackConfig.kafkaHeapMb());
            stackSettings.put("stack.elasticsearchHeapMb", stackConfig.elasticsearchHeapMb());
            stackSettings.put("stack.kind", "local-stack (Kafka and Elasticsearch child JVMs, registry in the digestflow JVM)");
            enrich.forEach((k, v) -> stackSettings.put("bench --enrich " + k, v));
            BenchReport report = BenchRun.run(options, env, stackSettings, BenchCommand::say);
            System.out.println();
            System.out.println(report.markdown());
            say("wrote " + outDir.resolve("bench-report.md") + " and " + outDir.resolve("bench-report.json"));
        } finally {
            deleteTree(outDir.resolve("work"));
            if (!keepStackData) {
                deleteTree(stackDir);
            }
        }
        return 0;
    }

    static void say(String line) {
        System.out.println(LocalTime.now().format(CLOCK) + "  " + line);
        System.out.flush();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
