package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroDeserializer;
import dev.digestflow.service.kafka.TopicSnapshot;
import dev.digestflow.sink.index.ElasticsearchClients;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;

/**
 * A tag added to the taxonomy, then {@code retag}, end to end on the real broker, registry and ES
 * node: the items already indexed that match the new tag carry it in Elasticsearch and on the tagged
 * topic (a new version of their record, same key), the others are left alone, no item is added, and
 * status still reconciles and counts the re-tagged records.
 */
@ExtendWith(TestStackExtension.class)
class RetagIT {

    private static final String V1 = "tags:\n  - name: agents\n    keywords: [agent]\n";
    private static final String V2 = V1 + "  - name: quantum\n    keywords: [qubit]\n";

    @Test
    void anAddedTagReachesTheItemsAlreadyIndexedAsUpdates(TestStack stack, TestNames names, @TempDir Path home) throws Exception {
        PipelineNames n = PipelineNames.prefixed(names.group("retag"));
        Path taxonomy = Files.writeString(home.resolve("taxonomy.yaml"), V1);
        Path config = Files.writeString(home.resolve("up.properties"), "enrich-streams.taxonomy.file=" + taxonomy + "\nenrich-streams.taxonomy.reload.interval.ms=0\n");
        Pipeline.Configs configs = Pipeline.configs(stack.bootstrapServers(), stack.registryUrl(), stack.elasticsearchUrl(), n, home, Pipeline.Ports.any(),
                UpConfiguration.load(config, Map.of()));
        Path drops = Files.createDirectories(home.resolve("drops"));
        Files.writeString(drops.resolve("items.jsonl"), String.join("\n",
                "{\"title\": \"An agent that calibrates qubit arrays\", \"summary\": \"Closed-loop tuning.\"}",
                "{\"title\": \"Qubit noise spectroscopy at scale\", \"summary\": \"Measurements.\"}",
                "{\"title\": \"An agent that books flights\", \"summary\": \"Travel.\"}",
                "{\"title\": \"Notes from a conference\", \"summary\": \"Talks.\"}") + "\n", StandardCharsets.UTF_8);
        try (Pipeline pipeline = Pipeline.start(configs);
                ElasticsearchTransport transport = ElasticsearchClients.transport(stack.elasticsearchUrl())) {
            ElasticsearchClient es = new ElasticsearchClient(transport);
            await().atMost(Duration.ofMinutes(2)).until(pipeline::ready);
            IngestCommand.drop(drops.resolve("items.jsonl"), home.resolve("inbox"));
            await().atMost(Duration.ofMinutes(2)).until(() -> count(es, n) == 4);
            assertThat(tagsByTitle(es, n).get("Qubit noise spectroscopy at scale")).containsExactly("untagged");

            Files.writeString(taxonomy, V2);
            RetagCommand.Result dry = RetagCommand.retag(configs.enrich(), null, true, Instant.now());
            assertThat(dry.plan().updates()).hasSize(2);
            assertThat(dry.written()).isZero();
            RetagCommand.Result result = RetagCommand.retag(configs.enrich(), null, false, Instant.now());
            assertThat(result.plan().updates()).hasSize(2);
            assertThat(result.render()).contains("quantum").contains("2 with new tags");
            String v2 = Taxonomy.load(taxonomy).version();

            await().atMost(Duration.ofMinutes(1)).until(() -> tagsByTitle(es, n).get("Qubit noise spectroscopy at scale").contains("quantum"));
            Map<String, List<String>> tags = tagsByTitle(es, n);
            assertThat(tags.get("An agent that calibrates qubit arrays")).containsExactlyInAnyOrder("agents", "quantum");
            assertThat(tags.get("Qubit noise spectroscopy at scale")).containsExactly("quantum");
            assertThat(tags.get("An agent that books flights")).containsExactly("agents");
            assertThat(count(es, n)).as("updates, not new items").isEqualTo(4);
            assertThat(versionOf(es, n, "Qubit noise spectroscopy at scale")).isEqualTo(v2);

            // The tagged topic: the latest record of each re-tagged item is the new version, same key.
            Map<String, TaggedItem> latest = new HashMap<>();
            int retagHeaders = 0;
            for (ConsumerRecord<String, TaggedItem> r : readTagged(stack, n)) {
                latest.put(r.key(), r.value());
                if (r.headers().lastHeader(RetagCommand.RETAG_HEADER) != null) {
                    retagHeaders++;
                }
            }
            assertThat(latest).hasSize(4);
            assertThat(retagHeaders).isEqualTo(2);
            assertThat(latest.values()).filteredOn(t -> t.getItem().getTitle().startsWith("Qubit")).singleElement()
                    .satisfies(t -> assertThat(t.getTags()).containsExactly("quantum"));

            // A second run has nothing left to change.
            assertThat(RetagCommand.retag(configs.enrich(), null, false, Instant.now()).plan().updates()).isEmpty();

            StatusReport status = StatusReport.collect(pipeline.endpoints(), n);
            assertThat(status.reconciled()).as(status.render()).isTrue();
            assertThat(status.items().retaggedRecords()).isEqualTo(2);
            assertThat(status.taxonomyVersions()).containsEntry(v2, 2L);
            assertThat(status.render()).contains("2 records re-tagged").contains("quantum +2 -0").contains("untagged +0 -1");
            assertThat(status.retagChanges().get("quantum")).containsExactly(2, 0);
        }
    }

    private static long count(ElasticsearchClient es, PipelineNames n) throws Exception {
        if (!es.indices().existsAlias(a -> a.name(n.alias())).value()) {
            return 0;
        }
        es.indices().refresh(r -> r.index(n.alias()));
        return es.count(c -> c.index(n.alias())).count();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, List<String>> tagsByTitle(ElasticsearchClient es, PipelineNames n) throws Exception {
        es.indices().refresh(r -> r.index(n.alias()));
        Map<String, List<String>> out = new HashMap<>();
        for (Hit<Map> h : es.search(s -> s.index(n.alias()).size(100), Map.class).hits().hits()) {
            out.put((String) h.source().get("title"), (List<String>) h.source().get("tags"));
        }
        return out;
    }

    @SuppressWarnings("rawtypes")
    private static String versionOf(ElasticsearchClient es, PipelineNames n, String title) throws Exception {
        for (Hit<Map> h : es.search(s -> s.index(n.alias()).size(100), Map.class).hits().hits()) {
            if (title.equals(h.source().get("title"))) {
                return (String) h.source().get("taxonomyVersion");
            }
        }
        return null;
    }

    private static List<ConsumerRecord<String, TaggedItem>> readTagged(TestStack stack, PipelineNames n) {
        ConfluentAvroDeserializer<TaggedItem> values = new ConfluentAvroDeserializer<>(TaggedItem.class);
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.registryUrl()), false);
        try (KafkaConsumer<String, TaggedItem> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), values)) {
            return TopicSnapshot.readAll(consumer, n.tagged(), Duration.ofSeconds(30));
        }
    }
}
