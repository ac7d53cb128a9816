package dev.digestflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.app.Pipeline;
import dev.digestflow.app.PipelineNames;
import dev.digestflow.bench.corpus.Corpus;
import dev.digestflow.bench.corpus.CorpusFile;
import dev.digestflow.bench.corpus.CorpusGenerator;
import dev.digestflow.enrich.EnrichService;
import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.publish.ItemPublisher;
import dev.digestflow.localstack.LocalStack;
import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.sink.index.ElasticsearchClients;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;

/**
 * The promise under crashes: every dropped item is indexed exactly once. For each component, the
 * three services run as their own JVMs on the shared local stack; each round drops a fresh corpus
 * (at least 50 files, every format, 10 % duplicates), kills the component with -9 at a seeded
 * random moment while the files flow, restarts it, and then requires the index to hold exactly
 * the distinct item ids of every file dropped so far, computed from the input alone: 0 lost, 0
 * extra. Seeds are fixed; a failure prints the seed and the logs.
 *
 * <p>Rounds and files per round come from {@code digestflow.reliability.rounds} / {@code .files}
 * (3 and 50 in {@code mvn verify}; the {@code soak} profile raises them).
 */
@ExtendWith(TestStackExtension.class)
class CrashRecoveryIT {

    private static final int ROUNDS = Integer.getInteger("digestflow.reliability.rounds", 3);
    private static final int FILES = Integer.getInteger("digestflow.reliability.files", 50);
    private static final long BASE_SEED = Long.getLong("digestflow.reliability.seed", 20_261_122L);
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofMinutes(3);

    enum Component {
        PRODUCER, STREAMS, SINK, BROKER, ELASTICSEARCH
    }

    /** One round's outcome, for the table in target/reliability. */
    record Round(Component component, int round, long seed, int files, long itemsIn, long expectedUnique, long indexed, long lost, long extra,
            long failedFiles, double killAfterSeconds, double settleSeconds) {
    }

    @ParameterizedTest(name = "kill -9 {0}")
    @EnumSource(Component.class)
    void aKilledComponentLosesAndDuplicatesNothing(Component component, TestStack stack, TestNames names, @TempDir Path dir) throws Exception {
        assumeTrue(stack.localStack().isPresent(), "needs the local stack's process handles to kill the broker and Elasticsearch");
        LocalStack local = stack.localStack().get();
        PipelineNames pipeline = PipelineNames.prefixed(names.topic("crash-" + component.name().toLowerCase(Locale.ROOT)).replace('_', '-'));
        Map<String, Object> ingest = Pipeline.ingestSettings(stack.bootstrapServers(), stack.registryUrl(), pipeline, dir, 0);
        ingest.put(IngestConfig.POLL_INTERVAL_MS, 200L);
        Map<String, Object> enrich = Pipeline.enrichSettings(stack.bootstrapServers(), stack.registryUrl(), pipeline, dir, 0);
        Map<String, Object> sink = Pipeline.sinkSettings(stack.bootstrapServers(), stack.registryUrl(), stack.elasticsearchUrl(), pipeline, 0);
        for (Map<String, Object> m : List.of(ingest, enrich, sink)) {
            // A killed member's partitions move after the session timeout: the broker's minimum, not 45 s.
            m.put("kafka.session.timeout.ms", 6000);
            m.put("kafka.heartbeat.interval.ms", 1500);
        }
        sink.put("retry.backoff.max.ms", 2000L);
        ItemPublisher.ensureTopics(new IngestConfig(ingest));
        EnrichService.ensureTopics(new EnrichConfig(enrich), Taxonomy.defaults());
        for (String folder : List.of("inbox", "processed", "failed", "staging")) {
            Files.createDirectories(dir.resolve(folder));
        }

        Path logs = Path.of("target", "reliability", "logs", component.name().toLowerCase(Locale.ROOT));
        PipelineProcesses services = new PipelineProcesses(ingest, enrich, sink, logs);
        ServiceProcess producer = services.producer;
        ServiceProcess streams = services.streams;
        ServiceProcess indexer = services.indexer;
        CorpusGenerator generator = CorpusGenerator.fromClasspath();
        Set<String> expectedIds = new HashSet<>();
        long filesSoFar = 0;
        List<Round> rounds = new ArrayList<>();
        try (ElasticsearchTransport transport = ElasticsearchClients.transport(stack.elasticsearchUrl())) {
            ElasticsearchClient es = new ElasticsearchClient(transport);
            services.startAll(START);
            for (int r = 1; r <= ROUNDS; r++) {
                long seed = BASE_SEED + component.ordinal() * 1000L + r;
                SplittableRandom random = new SplittableRandom(seed); // well mixed: nearby seeds give unrelated draws
                Corpus corpus = corpusOfAtLeast(generator, FILES, seed, "r" + r);
                corpus.files().forEach(f -> f.titles().forEach(t -> expectedIds.add(ItemIds.of(t))));
                filesSoFar += corpus.files().size();
                Path staging = dir.resolve("staging").resolve("r" + r);
                corpus.writeTo(staging);

                // Five waves of files 450 ms apart, the kill at a seeded moment and the restart after a seeded down time,
                // all on one timer: the kill can fall between any two file moves.
                long killAtMillis = 100 + random.nextInt(2300);
                long downMillis = random.nextInt(1000);
                List<CorpusFile> files = corpus.files();
                long t0 = System.nanoTime();
                ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
                List<ScheduledFuture<Object>> waves = new ArrayList<>();
                for (int wave = 0; wave < 5; wave++) {
                    List<CorpusFile> batch = files.subList(wave * files.size() / 5, (wave + 1) * files.size() / 5);
                    waves.add(timer.schedule(() -> {
                        for (CorpusFile f : batch) {
                            Files.move(staging.resolve(f.name()), dir.resolve("inbox").resolve(f.name()), StandardCopyOption.ATOMIC_MOVE);
                        }
                        return null;
                    }, wave * 450L, TimeUnit.MILLISECONDS));
                }
                ScheduledFuture<Double> killing = timer.schedule(() -> {
                    double at = (System.nanoTime() - t0) / 1e9;
                    kill(component, local, producer, streams, indexer);
                    return at;
                }, killAtMillis, TimeUnit.MILLISECONDS);
                ScheduledFuture<Object> restarting = timer.schedule(() -> {
                    killing.get(); // never restart before the kill has happened
                    restart(component, local, producer, streams, indexer);
                    return null;
                }, killAtMillis + downMillis, TimeUnit.MILLISECONDS);
                for (ScheduledFuture<Object> wave : waves) {
                    wave.get(30, TimeUnit.SECONDS);
                }
                double killedAfter = killing.get(30, TimeUnit.SECONDS);
                restarting.get(START.toSeconds() + 30, TimeUnit.SECONDS);
                timer.shutdown();

                long settleStart = System.nanoTime();
                long expected = expectedIds.size();
                long filesExpected = filesSoFar;
                try {
                    await().atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                            .until(() -> count(es, pipeline.alias()) == expected && finishedFiles(dir) == filesExpected);
                } catch (ConditionTimeoutException stillMissing) {
                    // The assertions below say what is missing, with the seed and the services' logs.
                }
                double settle = (System.nanoTime() - settleStart) / 1e9;
                long indexed = count(es, pipeline.alias());
                long matching = matchingIds(es, pipeline.alias(), expectedIds);
                long failed = countFiles(dir.resolve("failed"));
                Round round = new Round(component, r, seed, files.size(), corpus.items(), expected, indexed, expected - matching, indexed - matching,
                        failed, killedAfter, settle);
                rounds.add(round);
                report(rounds);
                String context = "seed " + seed + ", round " + r + " of " + component + ": " + round + "\n--- " + producer.name() + "\n"
                        + producer.tail(15) + "\n--- " + streams.name() + "\n" + streams.tail(15) + "\n--- " + indexer.name() + "\n" + indexer.tail(15);
                assertThat(matching).as("items lost; " + context).isEqualTo(expected);
                assertThat(indexed).as("documents that are not an input item; " + context).isEqualTo(matching);
                assertThat(failed).as("generated files that failed; " + context).isZero();
                assertThat(finishedFiles(dir)).as("files still in the inbox; " + context).isEqualTo(filesExpected);
            }
        } finally {
            services.close();
        }
    }

    private static Corpus corpusOfAtLeast(CorpusGenerator generator, int files, long seed, String prefix) {
        int items = files * 25;
        Corpus c = generator.generate(items, 0.10, seed, prefix);
        while (c.files().size() < files) {
            items += 10 * (files - c.files().size()) + 10;
            c = generator.generate(items, 0.10, seed, prefix);
        }
        return c;
    }

    private static void kill(Component c, LocalStack local, ServiceProcess producer, ServiceProcess streams, ServiceProcess indexer) throws Exception {
        switch (c) {
            case PRODUCER -> producer.kill();
            case STREAMS -> streams.kill();
            case SINK -> indexer.kill();
            case BROKER -> local.kafka().process().kill();
            case ELASTICSEARCH -> local.elasticsearch().process().kill();
        }
    }

    private static void restart(Component c, LocalStack local, ServiceProcess producer, ServiceProcess streams, ServiceProcess indexer)
            throws Exception {
        switch (c) {
            case PRODUCER -> producer.start(START);
            case STREAMS -> streams.start(START);
            case SINK -> indexer.start(START);
            case BROKER -> {
                local.kafka().start();
                local.kafka().awaitReady(START);
            }
            case ELASTICSEARCH -> {
                local.elasticsearch().start();
                local.elasticsearch().awaitReady(START);
            }
        }
    }

    private static long count(ElasticsearchClient es, String alias) {
        try {
            es.indices().refresh(r -> r.index(alias));
            return es.count(c -> c.index(alias)).count();
        } catch (Exception notYet) {
            return -1; // ES restarting, or the alias not created yet
        }
    }

    /** Documents whose _id is one of the expected item ids, asked in chunks. */
    private static long matchingIds(ElasticsearchClient es, String alias, Set<String> ids) throws IOException {
        List<String> all = new ArrayList<>(ids);
        long n = 0;
        for (int i = 0; i < all.size(); i += 1000) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + 1000));
            n += es.count(c -> c.index(alias).query(q -> q.ids(v -> v.values(chunk)))).count();
        }
        return n;
    }

    private static long finishedFiles(Path home) throws IOException {
        return countFiles(home.resolve("processed")) + countFiles(home.resolve("failed"));
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".error.txt")).count();
        }
    }

    private static void report(List<Round> rounds) throws IOException {
        Path out = Path.of("target", "reliability", "crash-" + rounds.get(0).component().name().toLowerCase(Locale.ROOT) + ".md");
        Files.createDirectories(out.getParent());
        StringBuilder md = new StringBuilder("| fault | round | seed | files | items in | unique expected | indexed | lost | extra | failed files | killed after s | settled in s |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Round r : rounds) {
            md.append(String.format(Locale.ROOT, "| kill -9 %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f | %.1f |%n", r.component().name().toLowerCase(Locale.ROOT),
                    r.round(), r.seed(), r.files(), r.itemsIn(), r.expectedUnique(), r.indexed(), r.lost(), r.extra(), r.failedFiles(), r.killAfterSeconds(),
                    r.settleSeconds()));
        }
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        System.out.print(md);
    }
}
