package dev.digestflow.bench.stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.digestflow.app.Pipeline;
import dev.digestflow.app.PipelineNames;
import dev.digestflow.bench.corpus.Corpus;
import dev.digestflow.bench.measure.AlternatedPairs;
import dev.digestflow.bench.measure.BenchFailure;
import dev.digestflow.bench.measure.Deadline;
import dev.digestflow.bench.measure.StageResult;
import dev.digestflow.bench.measure.UsageWindow;
import dev.digestflow.ingest.IngestService;
import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.ops.IngestMetrics;
import dev.digestflow.ingest.publish.ItemPublisher;
import dev.digestflow.service.kafka.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * ingest-producer on the whole corpus (files already in the inbox when it starts; the clock runs
 * until the last file is in processed/) against a raw {@link KafkaProducer} sending the very events
 * the service wrote, read back from its topic, with the service's own producer settings.
 */
public final class ProducerStage {

    private ProducerStage() {
    }

    /** The result, and the topic the items now sit on, for the streams stage. */
    public record Outcome(StageComparison comparison, String rawTopic) {
    }

    public static Outcome run(BenchEnvironment env, Corpus corpus, int pairs, Path profileFile, Consumer<String> progress) throws Exception {
        // The baseline sends the very events the service wrote in its warm-up round, with its producer settings.
        AtomicReference<List<ConsumerRecord<byte[], byte[]>>> events = new AtomicReference<>();
        AtomicReference<IngestConfig> settings = new AtomicReference<>();
        AlternatedPairs.Result result = AlternatedPairs.measure(pairs, round -> {
            Round r = stageRound(env, corpus, round);
            events.compareAndSet(null, r.events());
            settings.compareAndSet(null, r.config());
            return r.result();
        }, round -> {
            String baselineTopic = env.names("producer-" + round).raw() + ".baseline";
            Topics.ensure(env.bootstrapServers(), Map.of(), List.of(baselineTopic), settings.get().getInt(IngestConfig.TOPIC_PARTITIONS), (short) -1);
            return rawProducer(env, settings.get(), baselineTopic, events.get());
        }, profileFile, progress);
        return new Outcome(new StageComparison("producer", "raw KafkaProducer sending the same serialized events with the service's producer settings",
                result), env.names("producer-0").raw());
    }

    private record Round(StageResult result, List<ConsumerRecord<byte[], byte[]>> events, IngestConfig config) {
    }

    /** One run of the service on the whole corpus, in its own home and topics, checked record for record. */
    private static Round stageRound(BenchEnvironment env, Corpus corpus, int round) throws Exception {
        PipelineNames names = env.names("producer-" + round);
        Path home = env.home("producer-" + round);
        IngestConfig config = new IngestConfig(Pipeline.ingestSettings(env.bootstrapServers(), env.registryUrl(), names, home, 0));
        ItemPublisher.ensureTopics(config);
        corpus.writeTo(home.resolve("inbox"));
        Path processed = home.resolve("processed");
        Path failed = home.resolve("failed");

        UsageWindow window = UsageWindow.open(env.probes());
        IngestService ingest = new IngestService(config, new IngestMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
        double seconds;
        try {
            ingest.start();
            Deadline.await("ingest-producer to move " + corpus.files().size() + " files out of the inbox", env.phaseTimeout(), Duration.ofMillis(20),
                    () -> files(processed) + files(failed) >= corpus.files().size());
            seconds = window.elapsedSeconds();
        } finally {
            ingest.close();
        }
        StageResult measured = new StageResult("ingest-producer", corpus.items(), seconds, window.close(corpus.items()));
        if (files(failed) > 0) {
            throw new BenchFailure(files(failed) + " generated files failed to ingest; see " + failed + " and the .error.txt next to each");
        }
        List<ConsumerRecord<byte[], byte[]>> events = env.readAll(names.raw());
        if (events.size() != corpus.items()) {
            throw new BenchFailure("ingest-producer wrote " + events.size() + " item events to " + names.raw() + ", the corpus has " + corpus.items());
        }
        return new Round(measured, events, config);
    }

    private static StageResult rawProducer(BenchEnvironment env, IngestConfig config, String topic, List<ConsumerRecord<byte[], byte[]>> events)
            throws Exception {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> error = new AtomicReference<>();
        UsageWindow window = UsageWindow.open(env.probes());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ItemPublisher.producerProps(config), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> e : events) {
                producer.send(new ProducerRecord<>(topic, e.key(), e.value()), (metadata, exception) -> {
                    if (exception != null) {
                        error.compareAndSet(null, exception);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        double seconds = window.elapsedSeconds();
        List<dev.digestflow.bench.measure.ProcessUsage> usage = window.close(events.size());
        if (error.get() != null || acked.get() != events.size()) {
            throw new BenchFailure("raw producer baseline: " + acked.get() + " of " + events.size() + " acknowledged" + (error.get() == null ? "" : ": " + error.get()));
        }
        return new StageResult("raw KafkaProducer", events.size(), seconds, usage);
    }

    /** Digest files under a results folder (processed/ and failed/ file them by day), without the reason files. */
    static long files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.getFileName().toString().endsWith(".error.txt") && Files.isRegularFile(p)).count();
        }
    }
}
