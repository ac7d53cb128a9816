package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.app.FileProgress.FileReport;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.TextDecoder;
import dev.digestflow.schema.FileStatus;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroDeserializer;
import dev.digestflow.service.kafka.TopicSnapshot;
import dev.digestflow.sink.index.ElasticsearchClients;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestProducers;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;

/** What {@code ./digestflow up} runs, end to end, on the real broker, registry and ES node. */
@ExtendWith(TestStackExtension.class)
class PipelineEndToEndIT {

    private static final List<String> SAMPLES = List.of("000_545bdede27ca3e01.txt", "003_19fcee2af990f575.txt", "004_daa9faf00548796a.txt");

    @Test
    void samplesOneTwiceAndABadFileEndAsExactlyTheUniqueTaggedDocuments(TestStack stack, TestNames names, @TempDir Path home) throws Exception {
        PipelineNames n = PipelineNames.prefixed(names.group("e2e"));
        Path drops = Files.createDirectories(home.resolve("drops"));
        Set<String> expectedIds = new HashSet<>();
        for (String s : SAMPLES) {
            byte[] bytes;
            try (InputStream in = getClass().getResourceAsStream("/samples/" + s)) {
                bytes = in.readAllBytes();
            }
            Files.write(drops.resolve(s), bytes);
            // The independent count: parse the samples here and hash the titles.
            ParserRegistry.defaults().parse(TextDecoder.decode(s, Instant.now(), bytes)).items().forEach(i -> expectedIds.add(ItemIds.of(i.title())));
        }
        Files.copy(drops.resolve(SAMPLES.get(0)), drops.resolve("again-" + SAMPLES.get(0)));
        Files.write(drops.resolve("broken.json"), "{\"items\": [ {\"title\": \"truncated".getBytes());

        try (Pipeline pipeline = Pipeline.start(stack.bootstrapServers(), stack.registryUrl(), stack.elasticsearchUrl(), n, home, Pipeline.Ports.any())) {
            await().atMost(Duration.ofMinutes(2)).until(pipeline::ready);
            List<FileReport> reports = Collections.synchronizedList(new ArrayList<>());
            try (FileProgress progress = new FileProgress(pipeline.endpoints(), n, true, reports::add).start()) {
                for (String s : SAMPLES) {
                    IngestCommand.drop(drops.resolve(s), home.resolve("inbox"));
                }
                IngestCommand.drop(drops.resolve("broken.json"), home.resolve("inbox"));
                await().atMost(Duration.ofMinutes(2)).until(() -> reports.stream().filter(r -> r.status() == FileStatus.PROCESSED).count() == 3);
                IngestCommand.drop(drops.resolve("again-" + SAMPLES.get(0)), home.resolve("inbox"));
                await().atMost(Duration.ofMinutes(2)).until(() -> reports.size() == 5);
            }
            assertThat(reports).filteredOn(r -> r.status() == FileStatus.PROCESSED).allMatch(FileReport::complete).hasSize(3);
            assertThat(reports.stream().filter(r -> r.status() == FileStatus.PROCESSED).mapToInt(FileReport::newItems).sum()).isEqualTo(expectedIds.size());
            assertThat(reports).filteredOn(r -> r.status() == FileStatus.SKIPPED).singleElement().extracting(FileReport::fileName)
                    .isEqualTo("again-" + SAMPLES.get(0));
            FileReport failed = reports.stream().filter(r -> r.status() == FileStatus.FAILED).findFirst().orElseThrow();
            assertThat(failed.fileName()).isEqualTo("broken.json");
            assertThat(failed.line()).contains("FAILED");

            // ES holds exactly the unique items, each with tags.
            try (ElasticsearchTransport t = ElasticsearchClients.transport(stack.elasticsearchUrl())) {
                ElasticsearchClient es = new ElasticsearchClient(t);
                es.indices().refresh(r -> r.index(n.alias()));
                assertThat(es.count(c -> c.index(n.alias())).count()).isEqualTo(expectedIds.size());
                assertThat(es.count(c -> c.index(n.alias()).query(q -> q.bool(b -> b.mustNot(m -> m.exists(e -> e.field("tags")))))).count()).isZero();
                assertThat(es.count(c -> c.index(n.alias()).query(q -> q.ids(i -> i.values(List.copyOf(expectedIds))))).count())
                        .isEqualTo(expectedIds.size());
            }

            // The bad file is in failed/ with its reason.
            assertThat(home.resolve("failed/broken.json")).exists();
            assertThat(Files.readString(home.resolve("failed/broken.json.error.txt"))).isNotBlank();

            // A plain consumer with the serde reads the tagged stream.
            assertThat(readTagged(stack, n)).hasSize(expectedIds.size()).allSatisfy(t -> assertThat(t.getTags()).isNotEmpty());

            // status reconciles.
            StatusReport status = StatusReport.collect(pipeline.endpoints(), n);
            assertThat(status.reconciled()).as(status.render()).isTrue();
            assertThat(status.indexed()).isEqualTo(expectedIds.size());
            assertThat(status.files().processed()).isEqualTo(3);
            assertThat(status.files().failed()).isEqualTo(1);
            assertThat(status.files().skipped()).isEqualTo(1);
            assertThat(status.render()).contains("reconciled:");

            // A harmless republish (an item written twice to raw, as a retry after a crash does) and a
            // record enrich dead-letters (garbage on raw) are accounted for, not false alarms.
            ConsumerRecord<byte[], byte[]> someRaw;
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                someRaw = TopicSnapshot.readAll(consumer, n.raw(), Duration.ofSeconds(30)).get(0);
            }
            TestProducers.sendBytes(stack, n.raw(), someRaw.key(), someRaw.value());
            TestProducers.sendBytes(stack, n.raw(), "not-an-item".getBytes(StandardCharsets.UTF_8), "{\"json\": \"not avro\"}".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofMinutes(1)).until(() -> StatusReport.collect(pipeline.endpoints(), n).items().deadInEnrich() == 1);
            StatusReport after = StatusReport.collect(pipeline.endpoints(), n);
            assertThat(after.reconciled()).as(after.render()).isTrue();
            assertThat(after.items().rawRecords()).isEqualTo(status.items().rawRecords() + 2);
            assertThat(after.items().rawIds()).isEqualTo(status.items().rawIds() + 1);
            assertThat(after.indexed()).isEqualTo(expectedIds.size());
        }
    }

    /**
     * A writer that pauses longer than the quiet period (1 s by default), as network copies do: the
     * half-written file is claimed, but nothing of it may be published; the index ends with exactly the
     * whole file's items, and processed/ with the whole file.
     */
    @Test
    void aWriterPausingLongerThanTheQuietPeriodEndsAsTheWholeFileInTheIndex(TestStack stack, TestNames names, @TempDir Path home) throws Exception {
        PipelineNames n = PipelineNames.prefixed(names.group("paused"));
        byte[] full;
        try (InputStream in = getClass().getResourceAsStream("/samples/" + SAMPLES.get(1))) {
            full = in.readAllBytes();
        }
        Set<String> expectedIds = new HashSet<>();
        ParserRegistry.defaults().parse(TextDecoder.decode("paused.txt", Instant.now(), full)).items().forEach(i -> expectedIds.add(ItemIds.of(i.title())));
        String text = new String(full, java.nio.charset.StandardCharsets.UTF_8);
        int cut = text.indexOf('\n', text.length() / 2) + 1;
        try (Pipeline pipeline = Pipeline.start(stack.bootstrapServers(), stack.registryUrl(), stack.elasticsearchUrl(), n, home, Pipeline.Ports.any())) {
            await().atMost(Duration.ofMinutes(2)).until(pipeline::ready);
            Path target = home.resolve("inbox").resolve("paused.txt");
            java.util.concurrent.ScheduledExecutorService writer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            try (java.io.OutputStream out = Files.newOutputStream(target)) {
                out.write(text.substring(0, cut).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                writer.schedule(() -> {
                    out.write(text.substring(cut).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    return null;
                }, 1500, java.util.concurrent.TimeUnit.MILLISECONDS).get(30, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                writer.shutdown();
            }
            Path processedDir = home.resolve("processed");
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                try (var s = Files.walk(processedDir)) {
                    return s.anyMatch(p -> p.getFileName().toString().equals("paused.txt"));
                } catch (java.io.IOException notYet) {
                    return false;
                }
            });
            try (var s = Files.walk(processedDir)) {
                Path done = s.filter(p -> p.getFileName().toString().equals("paused.txt")).findFirst().orElseThrow();
                assertThat(done).as("processed/ holds the whole file").hasBinaryContent(full);
            }
            try (ElasticsearchTransport t = ElasticsearchClients.transport(stack.elasticsearchUrl())) {
                ElasticsearchClient es = new ElasticsearchClient(t);
                await().atMost(Duration.ofMinutes(2)).until(() -> {
                    es.indices().refresh(r -> r.index(n.alias()));
                    return es.count(c -> c.index(n.alias())).count() >= expectedIds.size();
                });
                StatusReport status = StatusReport.collect(pipeline.endpoints(), n);
                es.indices().refresh(r -> r.index(n.alias()));
                assertThat(es.count(c -> c.index(n.alias())).count()).as("exactly the whole file's items; " + status.render()).isEqualTo(expectedIds.size());
                assertThat(es.count(c -> c.index(n.alias()).query(q -> q.ids(i -> i.values(List.copyOf(expectedIds))))).count())
                        .isEqualTo(expectedIds.size());
            }
        }
    }

    private static List<TaggedItem> readTagged(TestStack stack, PipelineNames n) {
        ConfluentAvroDeserializer<TaggedItem> values = new ConfluentAvroDeserializer<>(TaggedItem.class);
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.registryUrl()), false);
        List<TaggedItem> out = new ArrayList<>();
        try (KafkaConsumer<String, TaggedItem> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), values)) {
            TopicSnapshot.readAll(consumer, n.tagged(), Duration.ofSeconds(30)).forEach(r -> out.add(r.value()));
        }
        return out;
    }
}
