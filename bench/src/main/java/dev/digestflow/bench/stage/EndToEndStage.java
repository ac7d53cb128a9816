package dev.digestflow.bench.stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.app.Pipeline;
import dev.digestflow.app.PipelineNames;
import dev.digestflow.bench.corpus.Corpus;
import dev.digestflow.bench.corpus.CorpusFile;
import dev.digestflow.bench.measure.BenchFailure;
import dev.digestflow.bench.measure.Deadline;
import dev.digestflow.bench.measure.Percentiles;
import dev.digestflow.bench.measure.ProgressTimeline;
import dev.digestflow.bench.measure.StageResult;
import dev.digestflow.bench.measure.UsageWindow;
import dev.digestflow.bench.profile.JfrProfile;
import dev.digestflow.schema.id.ItemIds;

/**
 * The whole pipeline as {@code up} runs it (three services in one JVM, on the stack), measured two
 * ways on one running instance:
 * <ol>
 * <li><b>Sustained throughput</b>: every file of the throughput corpus moved into the inbox at
 * once; the clock stops when the alias's {@code _count} (no forced refresh: what a search sees)
 * reaches the corpus's unique items.</li>
 * <li><b>Latency</b>: the latency corpus dropped file by file at a fixed item rate; per file, the
 * time from its drop to all of its items being searchable (by id), polled every 50 ms.</li>
 * </ol>
 * Files are dropped by rename from a folder on the same file system, as {@code mv} does: they are
 * complete at once. A {@code cp} into the inbox adds the inbox's quiet period (1 s by default).
 * The JFR recording is of a third, uncounted pass (a corpus of its own, dropped at once), never of
 * the measured one: the recording's own cost (stack walks, allocation and socket events) is not
 * small for this many threads, and it would be charged to the pipeline.
 */
public final class EndToEndStage {

    static final Duration LATENCY_POLL = Duration.ofMillis(50);

    private EndToEndStage() {
    }

    public record Latency(double targetItemsPerSecond, double achievedItemsPerSecond, int files, int filesTimed, long items,
            Percentiles seconds, long pollMillis) {
    }

    public record Outcome(StageResult throughput, long documents, Latency latency, JfrProfile.Summary profile) {
    }

    public static Outcome run(BenchEnvironment env, Corpus throughput, Corpus latencyCorpus, double rate, Corpus profileCorpus, Path jfrFile)
            throws Exception {
        PipelineNames names = env.names("e2e");
        Path home = env.home("e2e");
        Path staging = home.resolve("staging");
        createFolders(home);
        throughput.writeTo(staging.resolve("throughput"));
        latencyCorpus.writeTo(staging.resolve("latency"));
        if (jfrFile != null) {
            profileCorpus.writeTo(staging.resolve("profile"));
        }
        Path inbox = home.resolve("inbox");
        try (Pipeline pipeline = start(env, names, home); ElasticsearchTransport transport = env.esTransport()) {
            ElasticsearchClient es = new ElasticsearchClient(transport);

            StageResult result = dropAllAndAwaitSearchable(env, es, names, throughput, staging.resolve("throughput"), inbox, "end to end", 0);
            long unique = throughput.uniqueItems();
            long documents = BenchEnvironment.refreshedCount(es, names.alias());
            if (documents != unique) {
                throw new BenchFailure("end to end: " + documents + " documents under " + names.alias() + ", expected " + unique);
            }
            long failed = ProducerStage.files(home.resolve("failed"));
            if (failed > 0) {
                throw new BenchFailure(failed + " generated files failed end to end; see " + home.resolve("failed"));
            }

            Latency latency = latency(env, es, names.alias(), staging.resolve("latency"), inbox, latencyCorpus, rate);
            long total = BenchEnvironment.refreshedCount(es, names.alias());
            if (total != unique + latencyCorpus.uniqueItems()) {
                throw new BenchFailure("after the latency run: " + total + " documents, expected " + (unique + latencyCorpus.uniqueItems()));
            }
            JfrProfile.Summary summary = null;
            if (jfrFile != null) {
                try (JfrProfile profile = JfrProfile.start()) {
                    dropAllAndAwaitSearchable(env, es, names, profileCorpus, staging.resolve("profile"), inbox, "profiled pass", total);
                    summary = profile.stopAndSummarize(jfrFile, 12);
                }
            }
            return new Outcome(result, documents, latency, summary);
        }
    }

    /**
     * The scale run: a larger corpus through a fresh pipeline (its own topics, index and folders),
     * throughput only, so that items/s, CPU per item and peak RSS per process can be set beside the
     * main run's and show how cost grows with the amount of work.
     */
    public static StageResult scale(BenchEnvironment env, Corpus corpus) throws Exception {
        PipelineNames names = env.names("scale");
        Path home = env.home("scale");
        Path staging = home.resolve("staging");
        createFolders(home);
        corpus.writeTo(staging);
        try (Pipeline pipeline = start(env, names, home); ElasticsearchTransport transport = env.esTransport()) {
            ElasticsearchClient es = new ElasticsearchClient(transport);
            StageResult result = dropAllAndAwaitSearchable(env, es, names, corpus, staging, home.resolve("inbox"), "scale run, end to end", 0);
            long documents = BenchEnvironment.refreshedCount(es, names.alias());
            if (documents != corpus.uniqueItems()) {
                throw new BenchFailure("scale run: " + documents + " documents under " + names.alias() + ", expected " + corpus.uniqueItems());
            }
            return result;
        }
    }

    /** A phase's pipeline home: inbox, processed, failed, and the staging folder files are moved in from. */
    private static void createFolders(Path home) throws IOException {
        for (String dir : List.of("inbox", "processed", "failed", "staging")) {
            Files.createDirectories(home.resolve(dir));
        }
    }

    private static Pipeline start(BenchEnvironment env, PipelineNames names, Path home) throws Exception {
        Pipeline pipeline = Pipeline.start(Pipeline.configs(env.bootstrapServers(), env.registryUrl(), env.elasticsearchUrl(), names, home,
                Pipeline.Ports.any(), env.upConfiguration()));
        try {
            Deadline.await("the three services to be ready", Duration.ofMinutes(2), Duration.ofMillis(100), pipeline::ready);
            return pipeline;
        } catch (Exception | Error e) {
            pipeline.close();
            throw e;
        }
    }

    /** The end-to-end runs' detail: documents searchable per second in each fifth of the run, from the waiting polls. */
    public static final String DOCUMENTS_PER_SECOND_BY_FIFTH = "documentsPerSecondByFifth";

    /** An end-to-end run's documents searchable per second in each fifth of it; empty for another kind of run. */
    @SuppressWarnings("unchecked")
    public static List<Long> documentsPerSecondByFifth(StageResult run) {
        return (List<Long>) run.details().getOrDefault(DOCUMENTS_PER_SECOND_BY_FIFTH, List.of());
    }

    /** Every file moved into the inbox at once; the clock stops when the alias counts the corpus's unique items more than {@code before}. */
    private static StageResult dropAllAndAwaitSearchable(BenchEnvironment env, ElasticsearchClient es, PipelineNames names, Corpus corpus, Path staging,
            Path inbox, String name, long before) throws Exception {
        UsageWindow window = UsageWindow.open(env.probes());
        for (CorpusFile f : corpus.files()) {
            Files.move(staging.resolve(f.name()), inbox.resolve(f.name()), StandardCopyOption.ATOMIC_MOVE);
        }
        long expected = before + corpus.uniqueItems();
        ProgressTimeline timeline = new ProgressTimeline();
        Deadline.await(expected + " documents searchable under " + names.alias(), env.phaseTimeout(), Duration.ofMillis(50), () -> {
            long searchable = BenchEnvironment.searchable(es, names.alias());
            timeline.add(window.elapsedSeconds(), searchable - before);
            return searchable >= expected;
        });
        double seconds = window.elapsedSeconds();
        return new StageResult(name, corpus.items(), seconds, window.close(corpus.items()),
                Map.of(DOCUMENTS_PER_SECOND_BY_FIFTH, timeline.ratesBySlice(seconds, 5)));
    }

    private static Latency latency(BenchEnvironment env, ElasticsearchClient es, String alias, Path staging, Path inbox, Corpus corpus, double rate)
            throws Exception {
        Map<String, Long> dropped = new LinkedHashMap<>(); // file -> drop time (nanos), while not all its items are searchable
        Map<String, Set<String>> idsByFile = new LinkedHashMap<>();
        List<Double> seconds = new ArrayList<>();
        long start = System.nanoTime();
        long itemsSoFar = 0;
        long nextPoll = start;
        int index = 0;
        List<CorpusFile> files = corpus.files();
        while (index < files.size() || !dropped.isEmpty()) {
            long now = System.nanoTime();
            if (index < files.size() && now >= start + (long) (itemsSoFar / rate * 1e9)) {
                CorpusFile f = files.get(index++);
                Files.move(staging.resolve(f.name()), inbox.resolve(f.name()), StandardCopyOption.ATOMIC_MOVE);
                dropped.put(f.name(), System.nanoTime());
                idsByFile.put(f.name(), f.titles().stream().map(ItemIds::of).collect(Collectors.toSet()));
                itemsSoFar += f.items();
                continue;
            }
            if (now >= nextPoll && !dropped.isEmpty()) {
                Set<String> wanted = new HashSet<>();
                dropped.keySet().forEach(name -> wanted.addAll(idsByFile.get(name)));
                Set<String> found = searchableIds(es, alias, wanted);
                long polledAt = System.nanoTime();
                for (var it = dropped.entrySet().iterator(); it.hasNext();) {
                    var e = it.next();
                    if (found.containsAll(idsByFile.get(e.getKey()))) {
                        seconds.add((polledAt - e.getValue()) / 1e9);
                        it.remove();
                    }
                }
                nextPoll = polledAt + LATENCY_POLL.toNanos();
            }
            if ((System.nanoTime() - start) / 1e9 > itemsSoFar / rate + env.phaseTimeout().toSeconds()) {
                throw new BenchFailure("latency run: " + dropped.size() + " files never became fully searchable: " + dropped.keySet());
            }
            Thread.sleep(2);
        }
        double achieved = corpus.items() / ((System.nanoTime() - start) / 1e9);
        return new Latency(rate, achieved, files.size(), seconds.size(), corpus.items(), Percentiles.of(seconds), LATENCY_POLL.toMillis());
    }

    /**
     * Which of the ids are searchable now, in one request. A file counts as searchable when every
     * one of its items is, its duplicates of earlier files included: that is what a user searching
     * for the file's items sees, whichever file brought each item first.
     */
    private static Set<String> searchableIds(ElasticsearchClient es, String alias, Set<String> ids) throws IOException {
        List<String> values = new ArrayList<>(ids);
        var response = es.search(s -> s.index(alias).size(values.size()).source(src -> src.fetch(false)).query(q -> q.ids(i -> i.values(values))),
                Void.class);
        Set<String> found = new HashSet<>();
        response.hits().hits().forEach(h -> found.add(h.id()));
        return found;
    }
}
