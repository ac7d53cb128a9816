package dev.digestflow.bench.stage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import dev.digestflow.app.Pipeline;
import dev.digestflow.app.PipelineNames;
import dev.digestflow.bench.corpus.Corpus;
import dev.digestflow.bench.measure.AlternatedPairs;
import dev.digestflow.bench.measure.BenchFailure;
import dev.digestflow.bench.measure.Deadline;
import dev.digestflow.bench.measure.StageResult;
import dev.digestflow.bench.measure.UsageWindow;
import dev.digestflow.enrich.EnrichService;
import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.enrich.topology.EnrichTopology;
import dev.digestflow.service.kafka.TopicSnapshot;
import dev.digestflow.service.kafka.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * enrich-streams (dedup, tagging, per-tag topics, as {@code up} runs it) on the producer stage's
 * topic, against a pass-through topology (bytes in, bytes out) with the same Streams properties,
 * hence the same processing guarantee. Both clocks run from start until the group's committed
 * offsets reach the end of the input.
 */
public final class StreamsStage {

    private StreamsStage() {
    }

    public record Outcome(StageComparison comparison, String taggedTopic, String guarantee) {
    }

    public static Outcome run(BenchEnvironment env, Corpus corpus, String rawTopic, int pairs, Path profileFile, Consumer<String> progress) throws Exception {
        Taxonomy taxonomy = Taxonomy.defaults();
        AtomicReference<String> guarantee = new AtomicReference<>();
        AlternatedPairs.Result result = AlternatedPairs.measure(pairs, round -> {
            PipelineNames names = env.names("streams-" + round);
            EnrichConfig config = new EnrichConfig(settings(env, names, rawTopic, "streams-" + round));
            EnrichService.ensureTopics(config, taxonomy);
            UsageWindow window = UsageWindow.open(env.probes());
            double seconds;
            try (EnrichService app = new EnrichService(config, taxonomy, new SimpleMeterRegistry())) {
                app.start();
                awaitCaughtUp(env, names.enrichAppId(), rawTopic);
                seconds = window.elapsedSeconds();
            }
            StageResult measured = new StageResult("enrich-streams", corpus.items(), seconds, window.close(corpus.items()));
            long tagged = env.readAll(names.tagged()).size();
            if (tagged != corpus.uniqueItems()) {
                throw new BenchFailure("enrich-streams wrote " + tagged + " tagged items; the corpus has " + corpus.uniqueItems() + " unique items");
            }
            return measured;
        }, round -> {
            PipelineNames names = env.names("streams-" + round);
            Map<String, Object> settings = settings(env, names, rawTopic, "streams-pass-through-" + round);
            String passId = names.enrichAppId() + "-pass-through";
            String passTopic = names.tagged() + ".pass-through";
            settings.put(EnrichConfig.APPLICATION_ID, passId);
            EnrichConfig config = new EnrichConfig(settings);
            Properties props = EnrichTopology.streamsProperties(config, null);
            guarantee.set(String.valueOf(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
            Topics.ensure(env.bootstrapServers(), Map.of(), List.of(passTopic), config.getInt(EnrichConfig.TOPIC_PARTITIONS), (short) -1);
            StreamsBuilder b = new StreamsBuilder();
            b.stream(rawTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())).to(passTopic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
            UsageWindow passWindow = UsageWindow.open(env.probes());
            double passSeconds;
            try (KafkaStreams pass = new KafkaStreams(b.build(), props)) {
                pass.start();
                awaitCaughtUp(env, passId, rawTopic);
                passSeconds = passWindow.elapsedSeconds();
                pass.close(Duration.ofSeconds(30));
            }
            return new StageResult("pass-through topology", corpus.items(), passSeconds, passWindow.close(corpus.items()));
        }, profileFile, progress);
        return new Outcome(new StageComparison("streams", "pass-through topology (consume, produce bytes) with the same Streams properties ("
                + guarantee.get() + ")", result), env.names("streams-0").tagged(), guarantee.get());
    }

    private static Map<String, Object> settings(BenchEnvironment env, PipelineNames names, String rawTopic, String home) {
        Map<String, Object> settings = Pipeline.enrichSettings(env.bootstrapServers(), env.registryUrl(), names, env.home(home), 0);
        settings.put(EnrichConfig.RAW_TOPIC, rawTopic);
        settings.putAll(env.enrichSettings());
        return settings;
    }

    private static void awaitCaughtUp(BenchEnvironment env, String group, String topic) throws Exception {
        // One admin client for the whole wait: a client per poll cost the measured JVM and the broker more than the stage's own commits.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()))) {
            Deadline.await("group " + group + " to commit to the end of " + topic, env.phaseTimeout(), Duration.ofMillis(50),
                    () -> TopicSnapshot.committedLag(admin, group, topic) == 0);
        }
    }
}
