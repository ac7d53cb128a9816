package dev.digestflow.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.enrich.topology.DeadLetters;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.service.config.ServiceConfigSource;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** enrich-streams against the real broker and registry: exactly-once dedup, dead letters, kill -9 and restart. */
@ExtendWith(TestStackExtension.class)
class EnrichStreamsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @Test
    void allSampleItemsProducedTwiceComeOutExactlyOnce(TestStack stack, TestNames names, @TempDir Path state) throws Exception {
        EnrichHarness h = new EnrichHarness(stack, names, "twice", state);
        Map<String, Object> settings = h.settings();
        settings.put(EnrichConfig.TAG_TOPICS_ENABLED, true);
        EnrichConfig config = new EnrichConfig(settings);
        EnrichService.ensureTopics(config, Taxonomy.defaults());
        List<DigestItem> items = EnrichHarness.sampleItems();
        Set<String> unique = items.stream().map(DigestItem::getItemId).collect(Collectors.toSet());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (EnrichService app = new EnrichService(config, Taxonomy.defaults(), meters)) {
            app.start();
            h.produce(items);
            h.produce(items);
            await().atMost(DEADLINE).until(h::caughtUp);
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(app.health().ready()).isTrue();
        }
        List<ConsumerRecord<String, TaggedItem>> out = h.readTagged();
        assertThat(out).hasSize(unique.size());
        assertThat(out.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).isEqualTo(unique);
        assertThat(out).allSatisfy(r -> assertThat(r.value().getTags()).isNotEmpty());
        assertThat(meters.counter("digestflow.enrich.duplicates.dropped").count()).isEqualTo(items.size());
        // Multi-label routing on real topics: every tag of every item is on its tag topic.
        long copies = out.stream().mapToLong(r -> r.value().getTags().size()).sum();
        assertThat(copies).isGreaterThan(out.size());
    }

    @Test
    void aGarbageRecordLandsInTheDeadLetterTopicWhileGoodRecordsFlow(TestStack stack, TestNames names, @TempDir Path state) throws Exception {
        EnrichHarness h = new EnrichHarness(stack, names, "garbage", state);
        EnrichConfig config = new EnrichConfig(h.settings());
        EnrichService.ensureTopics(config, Taxonomy.defaults());
        List<DigestItem> good = EnrichHarness.syntheticItems(20, "Garbage test");
        try (EnrichService app = new EnrichService(config, Taxonomy.defaults(), new SimpleMeterRegistry())) {
            app.start();
            h.produce(good.subList(0, 10));
            h.produceBytes("poison".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0x7f, 0x7f, 1, 2, 3});
            h.produceBytes("json".getBytes(StandardCharsets.UTF_8), "{\"title\":\"not avro\"}".getBytes(StandardCharsets.UTF_8));
            h.produce(good.subList(10, 20));
            await().atMost(DEADLINE).until(h::caughtUp);
        }
        assertThat(h.readTagged()).hasSize(20);
        List<ConsumerRecord<byte[], byte[]>> dead = h.readDlq();
        assertThat(dead).hasSize(2);
        Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
        dead.forEach(r -> byKey.put(new String(r.key(), StandardCharsets.UTF_8), r));
        ConsumerRecord<byte[], byte[]> json = byKey.get("json");
        assertThat(new String(json.value(), StandardCharsets.UTF_8)).isEqualTo("{\"title\":\"not avro\"}");
        assertThat(header(json, DeadLetters.H_STAGE)).isEqualTo("enrich-streams.deserialize");
        assertThat(header(json, DeadLetters.H_TOPIC)).isEqualTo(h.raw);
        assertThat(header(json, DeadLetters.H_EXCEPTION)).isEqualTo(dev.digestflow.schema.serde.UndecodableRecordException.class.getName());
        assertThat(header(json, DeadLetters.H_MESSAGE)).contains("magic byte");
        assertThat(Integer.parseInt(header(json, DeadLetters.H_PARTITION))).isBetween(0, 1);
        assertThat(Long.parseLong(header(json, DeadLetters.H_OFFSET))).isGreaterThanOrEqualTo(0);
        assertThat(header(byKey.get("poison"), DeadLetters.H_MESSAGE)).contains("unknown schema id");
    }

    /**
     * A tagged record the producer can never send (over its max.request.size): it killed the stream
     * thread, and every replacement died on the same record (under exactly-once, a failed send also
     * poisons the transaction). Now it is refused at serialization and dead-lettered (its too-large
     * source payload left out, with where to read it), and the records after it flow.
     */
    @Test
    void aTaggedRecordTheBrokerRefusesIsDeadLetteredAndTheStreamGoesOn(TestStack stack, TestNames names, @TempDir Path state) throws Exception {
        EnrichHarness h = new EnrichHarness(stack, names, "too-large", state);
        h.extra.put("kafka.producer.max.request.size", 100_000);
        EnrichConfig config = new EnrichConfig(h.settings());
        EnrichService.ensureTopics(config, Taxonomy.defaults());
        List<DigestItem> good = EnrichHarness.syntheticItems(10, "Too large test");
        DigestItem huge = EnrichHarness.syntheticItems(1, "A huge summary").get(0);
        huge.setSummary("Reinforcement learning for agents. ".repeat(6_000)); // about 210 KB: fits the raw topic, not enrich's requests
        try (EnrichService app = new EnrichService(config, Taxonomy.defaults(), new SimpleMeterRegistry())) {
            app.start();
            h.produce(good.subList(0, 5));
            h.produce(List.of(huge));
            h.produce(good.subList(5, 10));
            await().atMost(DEADLINE).until(h::caughtUp);
            assertThat(app.failure()).isNull();
            assertThat(app.health().live()).isTrue();
        }
        assertThat(h.readTagged()).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(good.stream().map(DigestItem::getItemId).toList());
        List<ConsumerRecord<byte[], byte[]>> dlq = h.readDlq();
        assertThat(dlq).hasSize(1);
        ConsumerRecord<byte[], byte[]> dead = dlq.get(0);
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(huge.getItemId());
        assertThat(header(dead, DeadLetters.H_STAGE)).isEqualTo("enrich-streams.serialize");
        assertThat(header(dead, DeadLetters.H_EXCEPTION)).isEqualTo(org.apache.kafka.common.errors.RecordTooLargeException.class.getName());
        assertThat(header(dead, DeadLetters.H_PAYLOAD_OMITTED)).contains("max.request.size").contains(h.raw);
        assertThat(dead.value()).isNull();
    }

    /**
     * The taxonomy file changes while the app runs: a new tag applies to the items that arrive after
     * the change, each record says which taxonomy version tagged it, and an invalid file is refused
     * while the last valid taxonomy keeps tagging.
     */
    @Test
    void aChangedTaxonomyFileIsPutInUseWithoutARestartAndAnInvalidOneIsRefused(TestStack stack, TestNames names, @TempDir Path state) throws Exception {
        EnrichHarness h = new EnrichHarness(stack, names, "reload", state);
        java.nio.file.Path file = state.resolve("taxonomy.yaml");
        java.nio.file.Files.writeString(file, "tags:\n  - name: agents\n    keywords: [agent]\n");
        h.extra.put(EnrichConfig.TAXONOMY_FILE, file.toString());
        h.extra.put(EnrichConfig.TAXONOMY_RELOAD_INTERVAL_MS, 200L);
        EnrichConfig config = new EnrichConfig(h.settings());
        Taxonomy first = Taxonomy.load(file);
        EnrichService.ensureTopics(config, first);
        List<DigestItem> before = EnrichHarness.syntheticItems(3, "Qubit routing before the change");
        List<DigestItem> after = EnrichHarness.syntheticItems(3, "Qubit routing after the change");
        try (EnrichService app = new EnrichService(config, first, new SimpleMeterRegistry())) {
            app.start();
            h.produce(before);
            await().atMost(DEADLINE).until(() -> h.readTagged().size() == 3);
            java.nio.file.Files.writeString(file, "tags:\n  - name: agents\n    keywords: [agent]\n  - name: quantum\n    keywords: [qubit]\n");
            await().atMost(DEADLINE).until(() -> app.taxonomy().taxonomy().tagNames().contains("quantum"));
            String second = app.taxonomy().taxonomy().version();
            h.produce(after);
            await().atMost(DEADLINE).until(() -> h.readTagged().size() == 6);
            java.nio.file.Files.writeString(file, "tags:\n  - name: Not Valid\n    keywords: [x]\n");
            List<DigestItem> late = EnrichHarness.syntheticItems(2, "Qubit routing after an invalid edit");
            h.produce(late);
            await().atMost(DEADLINE).until(() -> h.readTagged().size() == 8);
            assertThat(app.taxonomy().taxonomy().version()).as("the invalid file was refused").isEqualTo(second);
            assertThat(app.health().detail()).contains("taxonomy " + second);
            Map<String, TaggedItem> byTitle = new HashMap<>();
            h.readTagged().forEach(r -> byTitle.put(r.value().getItem().getTitle(), r.value()));
            before.forEach(i -> assertThat(byTitle.get(i.getTitle()).getTaxonomyVersion()).isEqualTo(first.version()));
            before.forEach(i -> assertThat(byTitle.get(i.getTitle()).getTags()).doesNotContain("quantum"));
            for (DigestItem i : after) {
                assertThat(byTitle.get(i.getTitle()).getTags()).contains("quantum");
                assertThat(byTitle.get(i.getTitle()).getTaxonomyVersion()).isEqualTo(second);
            }
            late.forEach(i -> assertThat(byTitle.get(i.getTitle()).getTags()).contains("quantum"));
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void killingTheAppMidStreamAndRestartingItNeitherLosesNorDuplicates(TestStack stack, TestNames names, @TempDir Path state) throws Exception {
        EnrichHarness h = new EnrichHarness(stack, names, "kill", state);
        // The killed member leaves no goodbye: a short session lets the group move on in seconds, not 45 s.
        h.extra.put("kafka.consumer.session.timeout.ms", 6000);
        h.extra.put("kafka.consumer.heartbeat.interval.ms", 1000);
        EnrichConfig config = new EnrichConfig(h.settings());
        EnrichService.ensureTopics(config, Taxonomy.defaults());
        List<DigestItem> items = EnrichHarness.syntheticItems(3000, "Kill test");
        List<DigestItem> withDuplicates = new ArrayList<>(items);
        withDuplicates.addAll(items.subList(0, 500));
        h.produce(withDuplicates);

        Process first = startChild(h, state.resolve("first.log"));
        try {
            await().atMost(DEADLINE).until(() -> h.readTagged().size() >= 200);
        } finally {
            first.destroyForcibly().waitFor(); // kill -9: no shutdown hooks, an open transaction left behind
        }
        int afterKill = h.readTagged().size();
        Process second = startChild(h, state.resolve("second.log"));
        try {
            await().atMost(DEADLINE).until(h::caughtUp);
        } finally {
            second.destroy();
            second.waitFor();
        }
        List<ConsumerRecord<String, TaggedItem>> out = h.readTagged();
        Set<String> keys = new HashSet<>();
        out.forEach(r -> keys.add(r.key()));
        assertThat(afterKill).as("killed mid-stream").isLessThan(items.size());
        assertThat(keys).as("nothing lost").hasSize(items.size());
        assertThat(out).as("nothing duplicated (read_committed)").hasSize(items.size());
    }

    /** The service as its own JVM, configured by DIGESTFLOW_* variables like a real deployment. */
    private static Process startChild(EnrichHarness h, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), EnrichStreamsMain.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        h.settings().forEach((k, v) -> pb.environment().put(ServiceConfigSource.envName(k), String.valueOf(v)));
        pb.environment().put(ServiceConfigSource.envName(EnrichConfig.HTTP_PORT), "0");
        Process p = pb.start();
        await().atMost(DEADLINE).until(() -> !p.isAlive() || Files.readString(log).contains("enrich-streams started"));
        assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
        return p;
    }
}
