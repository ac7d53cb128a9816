package dev.digestflow.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import dev.digestflow.localstack.elasticsearch.ElasticsearchNode;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.dlq.DeadLetterHeaders;
import dev.digestflow.service.config.ServiceConfigSource;
import dev.digestflow.sink.config.SinkConfig;
import dev.digestflow.sink.write.SinkService;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** index-sink against a real broker, registry and Elasticsearch node. */
@ExtendWith(TestStackExtension.class)
class IndexSinkIT {

    private static final Duration DEADLINE = SinkHarness.DEADLINE;

    @Test
    void indexesEveryUniqueItemSearchablyAndAReplayChangesNothing(TestStack stack, TestNames names) throws Exception {
        try (SinkHarness h = new SinkHarness(stack, names, "samples")) {
            List<TaggedItem> items = SinkHarness.sampleTaggedItems();
            // A re-delivery upstream: the first ten items arrive twice.
            h.produce(items);
            h.produce(items.subList(0, 10));
            Set<String> unique = items.stream().map(t -> t.getItem().getItemId()).collect(Collectors.toSet());
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (SinkService sink = h.startSink(meters)) {
                await().atMost(DEADLINE).until(h::caughtUp);
                assertThat(h.count()).isEqualTo(unique.size());
                assertThat(sink.health().live()).isTrue();
                assertThat(meters.get("digestflow.sink.documents.indexed").counter().count()).isGreaterThanOrEqualTo(unique.size());
            }

            // Found by title text.
            TaggedItem probe = items.get(0);
            String word = List.of(probe.getItem().getTitle().split("\\W+")).stream().filter(w -> w.length() > 5).findFirst().orElseThrow();
            SearchResponse<Map> byTitle = h.es.search(s -> s.index(h.alias).query(q -> q.match(m -> m.field("title").query(word))), Map.class);
            assertThat(byTitle.hits().hits()).extracting(hit -> hit.id()).contains(probe.getItem().getItemId());

            // Filtered by tag, and aggregated by tag: the buckets match the items' tags exactly.
            Map<String, Long> expected = items.stream().filter(distinctById()).flatMap(t -> t.getTags().stream())
                    .collect(Collectors.groupingBy(t -> t, Collectors.counting()));
            String someTag = expected.keySet().iterator().next();
            long filtered = h.es.count(c -> c.index(h.alias).query(q -> q.term(t -> t.field("tags").value(FieldValue.of(someTag))))).count();
            assertThat(filtered).isEqualTo(expected.get(someTag));
            SearchResponse<Void> agg = h.es.search(s -> s.index(h.alias).size(0).aggregations("tags", a -> a.terms(t -> t.field("tags").size(100))), Void.class);
            Map<String, Long> buckets = agg.aggregations().get("tags").sterms().buckets().array().stream()
                    .collect(Collectors.toMap(b -> b.key().stringValue(), StringTermsBucket::docCount));
            assertThat(buckets).isEqualTo(expected);

            // Explanations are stored with the document.
            Map<?, ?> doc = h.es.get(g -> g.index(h.alias).id(probe.getItem().getItemId()), Map.class).source();
            assertThat(doc.get("explanations")).isNotNull();
            assertThat(doc.get("source")).isInstanceOf(Map.class);

            // Re-consume everything from offset 0 under a fresh group: no count changes.
            h.extra.put(SinkConfig.GROUP_ID, h.group + "-replay");
            SimpleMeterRegistry replayMeters = new SimpleMeterRegistry();
            try (SinkService sink = h.startSink(replayMeters)) {
                await().atMost(DEADLINE).until(() -> replayMeters.get("digestflow.sink.version.conflicts").counter().count()
                        + replayMeters.get("digestflow.sink.documents.indexed").counter().count() >= items.size() + 10);
            }
            assertThat(h.count()).isEqualTo(unique.size());
        }
    }

    @Test
    void aDocumentEsRejectsGoesToTheDlqWithItsReasonWhileTheRestIsIndexed(TestStack stack, TestNames names) throws Exception {
        try (SinkHarness h = new SinkHarness(stack, names, "malformed")) {
            List<TaggedItem> good = SinkHarness.syntheticItems(50, "good");
            TaggedItem bad = SinkHarness.syntheticItems(1, "bad").get(0);
            bad.getItem().setPublished("sometime last week");
            h.produce(good.subList(0, 25));
            h.produce(List.of(bad));
            h.produceBytes("poison".getBytes(), new byte[] {9, 9, 9});
            h.produce(good.subList(25, 50));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (SinkService sink = h.startSink(meters)) {
                await().atMost(DEADLINE).until(h::caughtUp);
                assertThat(sink.health().live()).isTrue();
            }
            assertThat(h.count()).isEqualTo(50);
            List<ConsumerRecord<byte[], byte[]>> dead = h.readDlq();
            assertThat(dead).hasSize(2);
            ConsumerRecord<byte[], byte[]> rejected = dead.stream().filter(r -> "index-sink.elasticsearch".equals(SinkHarness.header(r, DeadLetterHeaders.STAGE)))
                    .findFirst().orElseThrow();
            assertThat(SinkHarness.header(rejected, DeadLetterHeaders.ES_ERROR_TYPE)).isEqualTo("document_parsing_exception");
            assertThat(SinkHarness.header(rejected, DeadLetterHeaders.ES_ERROR_REASON)).contains("published").contains("sometime last week");
            assertThat(SinkHarness.header(rejected, DeadLetterHeaders.ES_STATUS)).isEqualTo("400");
            assertThat(SinkHarness.header(rejected, DeadLetterHeaders.ITEM_ID)).isEqualTo(bad.getItem().getItemId());
            assertThat(SinkHarness.header(rejected, DeadLetterHeaders.TOPIC)).isEqualTo(h.tagged);
            assertThat(new String(rejected.key())).isEqualTo(bad.getItem().getItemId());
            ConsumerRecord<byte[], byte[]> poison = dead.stream().filter(r -> "index-sink.deserialize".equals(SinkHarness.header(r, DeadLetterHeaders.STAGE)))
                    .findFirst().orElseThrow();
            assertThat(poison.value()).containsExactly(9, 9, 9);
            assertThat(SinkHarness.header(poison, DeadLetterHeaders.EXCEPTION_MESSAGE)).contains("magic byte");
            assertThat(meters.get("digestflow.sink.dlq.records").tag("reason", "malformed").counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void failPolicyStopsLoudlyWithoutCommittingPastTheBadDocument(TestStack stack, TestNames names) throws Exception {
        // One partition, so that "everything after the bad record" is well defined.
        try (SinkHarness h = new SinkHarness(stack, names, "failpolicy", 1)) {
            TaggedItem bad = SinkHarness.syntheticItems(1, "bad").get(0);
            bad.getItem().setPublished("not a date");
            h.produce(SinkHarness.syntheticItems(10, "before"));
            h.produce(List.of(bad));
            h.produce(SinkHarness.syntheticItems(10, "after"));
            h.extra.put(SinkConfig.MALFORMED_POLICY, "fail");
            SinkService sink = h.startSink(new SimpleMeterRegistry());
            try {
                await().atMost(DEADLINE).until(() -> sink.failure() != null);
                assertThat(sink.failure().getMessage()).contains("malformed.policy=fail").contains("document_parsing_exception").contains("item " + bad.getItem().getItemId());
                assertThat(sink.awaitStopped(Duration.ofSeconds(60))).isTrue();
                assertThat(sink.health().live()).isFalse();
            } finally {
                sink.close();
            }
            assertThat(h.committedLag()).as("the bad record and everything after it stay uncommitted").isGreaterThanOrEqualTo(11);
            assertThat(h.readDlq()).isEmpty();
        }
    }

    @Test
    void elasticsearchStoppedFor30SecondsMidStreamLosesAndDuplicatesNothing(TestStack stack, TestNames names) throws Exception {
        assumeThat(stack.localStack()).as("needs control over the ES process (local stack)").isPresent();
        ElasticsearchNode node = stack.localStack().get().elasticsearch();
        try (SinkHarness h = new SinkHarness(stack, names, "outage")) {
            List<TaggedItem> items = SinkHarness.syntheticItems(4000, "outage");
            h.produce(items.subList(0, 2000));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (SinkService sink = h.startSink(meters)) {
                await().atMost(DEADLINE).until(() -> h.count() >= 500);
                node.process().stop();
                try {
                    h.produce(items.subList(2000, 4000));
                    long lagAtStop = h.committedLag();
                    // ES stays down for 30 s: all along, the worker is live and commits nothing it could lose.
                    await().during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(40)).until(() -> sink.health().live() && !sink.health().ready()
                            && h.committedLag() > 0);
                    assertThat(h.committedLag()).isLessThanOrEqualTo(lagAtStop);
                    assertThat(meters.get("digestflow.sink.retries").tag("cause", "request").counter().count()).isPositive();
                } finally {
                    node.start();
                    node.awaitReady(Duration.ofSeconds(60));
                }
                await().atMost(DEADLINE).until(h::caughtUp);
                assertThat(sink.health().ready()).isTrue();
            }
            assertThat(h.count()).isEqualTo(4000);
            assertThat(h.readDlq()).isEmpty();
        }
    }

    @Test
    void killedMidBulkAndRestartedGivesTheSameCounts(TestStack stack, TestNames names, @TempDir Path dir) throws Exception {
        try (SinkHarness h = new SinkHarness(stack, names, "kill")) {
            List<TaggedItem> items = SinkHarness.syntheticItems(20_000, "kill");
            h.produce(items);
            Process first = startChild(h, dir.resolve("first.log"));
            long atKill;
            try {
                await().atMost(DEADLINE).until(() -> h.count() >= 2000);
            } finally {
                first.destroyForcibly().waitFor(); // kill -9: no shutdown hook, bulks in flight
            }
            atKill = h.count();
            Process second = startChild(h, dir.resolve("second.log"));
            try {
                await().atMost(DEADLINE).until(h::caughtUp);
            } finally {
                second.destroy();
                second.waitFor();
            }
            assertThat(atKill).as("killed mid-stream").isLessThan(20_000);
            assertThat(h.count()).isEqualTo(20_000);
            assertThat(h.readDlq()).isEmpty();
        }
    }

    private static Process startChild(SinkHarness h, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), IndexSinkMain.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        h.settings().forEach((k, v) -> pb.environment().put(ServiceConfigSource.envName(k), String.valueOf(v)));
        Process p = pb.start();
        await().atMost(DEADLINE).until(() -> !p.isAlive() || Files.readString(log).contains("index-sink started"));
        assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
        return p;
    }

    private static java.util.function.Predicate<TaggedItem> distinctById() {
        Set<String> seen = new java.util.HashSet<>();
        return t -> seen.add(t.getItem().getItemId());
    }
}
