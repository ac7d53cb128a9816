package dev.digestflow.sink.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.SourceRef;
import dev.digestflow.schema.TagExplanation;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.sink.index.IndexSetup;

class ItemDocumentsTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    static TaggedItem tagged(String title) {
        DigestItem item = DigestItem.newBuilder().setItemId(ItemIds.of(title)).setTitle(title).setSummary("A summary about PPO.")
                .setUrl("https://example.org/p").setAuthors(List.of("Ada", "Alan")).setAuthorCount(2).setPublished("2025-12-08")
                .setPublishedText("Dec 8, 2025").setReadMinutes(7).setUpvotes(42).setSection("Papers").setCollection("daily")
                .setSource(SourceRef.newBuilder().setFile("000.txt").setSha256("ab".repeat(32)).setFormat("daily-papers").setOrdinal(3).setLine(17).build())
                .setIngestedAt(Instant.parse("2025-12-09T12:00:00Z")).build();
        return TaggedItem.newBuilder().setItem(item).setTags(List.of("reinforcement-learning", "agents"))
                .setExplanations(List.of(
                        TagExplanation.newBuilder().setTag("reinforcement-learning").setScore(4.0).setMatchedTerms(List.of("ppo", "reward")).build(),
                        TagExplanation.newBuilder().setTag("agents").setScore(3.0).setMatchedTerms(List.of("agent")).build()))
                .setFirstSeenAt(Instant.parse("2025-12-09T12:00:01Z")).setTaggedAt(Instant.parse("2025-12-09T12:00:02Z"))
                .setTaxonomyVersion("sha256:0123456789ab").build();
    }

    @Test
    void documentCarriesEveryFieldWithTheContractNames() {
        Map<String, Object> doc = ItemDocuments.toDocument(tagged("Scaling RL for agents"), NOW);
        assertThat(doc).containsEntry("itemId", ItemIds.of("Scaling RL for agents")).containsEntry("title", "Scaling RL for agents")
                .containsEntry("authors", List.of("Ada", "Alan")).containsEntry("authorCount", 2).containsEntry("published", "2025-12-08")
                .containsEntry("readMinutes", 7).containsEntry("upvotes", 42).containsEntry("tags", List.of("reinforcement-learning", "agents"))
                .containsEntry("tagCount", 2).containsEntry("ingestedAt", "2025-12-09T12:00:00Z").containsEntry("taggedAt", "2025-12-09T12:00:02Z")
                .containsEntry("indexedAt", "2026-11-22T10:00:00Z").containsEntry("taxonomyVersion", "sha256:0123456789ab");
        assertThat(doc.get("source")).isEqualTo(Map.of("file", "000.txt", "sha256", "ab".repeat(32), "format", "daily-papers", "ordinal", "3", "line", "17"));
        assertThat(doc.get("matchedTerms")).isEqualTo(List.of("reinforcement-learning: ppo", "reinforcement-learning: reward", "agents: agent"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> explanations = (List<Map<String, Object>>) doc.get("explanations");
        assertThat(explanations).hasSize(2);
        assertThat(explanations.get(0)).containsEntry("tag", "reinforcement-learning").containsEntry("score", 4.0)
                .containsEntry("matchedTerms", List.of("ppo", "reward"));
    }

    @Test
    void absentOptionalFieldsAreLeftOutNotNull() {
        TaggedItem t = tagged("Short");
        t.getItem().setSummary(null);
        t.getItem().setPublished(null);
        t.getItem().setUpvotes(null);
        t.setTaxonomyVersion(null); // records written before versions were recorded
        Map<String, Object> doc = ItemDocuments.toDocument(t, NOW);
        assertThat(doc).doesNotContainKeys("summary", "published", "upvotes", "taxonomyVersion").doesNotContainValue(null);
    }

    @Test
    void operationIsAnIndexByItemIdThroughTheAliasWithTheOffsetAsExternalVersion() {
        TaggedItem t = tagged("Scaling RL for agents");
        BulkOperation op = ItemDocuments.toOperation(t, "digest-items", 1234L, NOW);
        assertThat(op.isIndex()).isTrue();
        assertThat(op.index().id()).isEqualTo(t.getItem().getItemId());
        assertThat(op.index().index()).isEqualTo("digest-items");
        assertThat(op.index().requireAlias()).isTrue();
        assertThat(op.index().version()).isEqualTo(1234L);
        assertThat(op.index().versionType()).isEqualTo(VersionType.External);

        BulkOperation plain = ItemDocuments.toOperation(t, "digest-items", null, NOW);
        assertThat(plain.index().version()).isNull();
        assertThat(plain.index().versionType()).isNull();
    }

    @Test
    void sameItemGivesTheSameIdEveryTime() {
        assertThat(ItemDocuments.toOperation(tagged("A title"), "a", 1L, NOW).index().id())
                .isEqualTo(ItemDocuments.toOperation(tagged("A title"), "a", 99L, NOW.plusSeconds(5)).index().id());
    }

    @Test
    void rejectsAnItemWithoutId() {
        TaggedItem t = tagged("x");
        t.getItem().setItemId(" ");
        assertThatThrownBy(() -> ItemDocuments.toOperation(t, "a", 1L, NOW)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("itemId");
    }

    /** The strict mapping would reject any field the converter writes that the template does not declare. */
    @Test
    void everyDocumentFieldIsMappedInTheTemplate() throws Exception {
        JsonNode props = new ObjectMapper().readTree(IndexSetup.mappingsJson()).get("properties");
        Map<String, Object> doc = ItemDocuments.toDocument(tagged("Scaling RL for agents"), NOW);
        List<String> unmapped = new ArrayList<>();
        collectUnmapped("", doc, props, unmapped);
        assertThat(unmapped).isEmpty();
        assertThat(new ObjectMapper().readTree(IndexSetup.mappingsJson()).get("dynamic").asText()).isEqualTo("strict");
    }

    @SuppressWarnings("unchecked")
    private static void collectUnmapped(String prefix, Map<String, Object> doc, JsonNode props, List<String> out) {
        doc.forEach((k, v) -> {
            JsonNode m = props.get(k);
            if (m == null) {
                out.add(prefix + k);
                return;
            }
            Object sample = v instanceof List<?> l && !l.isEmpty() ? l.get(0) : v;
            if (sample instanceof Map<?, ?> nested) {
                collectUnmapped(prefix + k + ".", (Map<String, Object>) nested, m.get("properties"), out);
            }
        });
    }

    @Test
    void templateMapsTheContractFieldTypes() throws Exception {
        JsonNode p = new ObjectMapper().readTree(IndexSetup.mappingsJson()).get("properties");
        for (String f : List.of("itemId", "tags", "authors", "collection", "section")) {
            assertThat(p.get(f).get("type").asText()).as(f).isEqualTo("keyword");
        }
        for (Iterator<String> it = p.get("source").get("properties").fieldNames(); it.hasNext();) {
            String f = it.next();
            assertThat(p.get("source").get("properties").get(f).get("type").asText()).as("source." + f).isEqualTo("keyword");
        }
        assertThat(p.get("title").get("type").asText()).isEqualTo("text");
        assertThat(p.get("title").get("fields").get("keyword").get("type").asText()).isEqualTo("keyword");
        assertThat(p.get("summary").get("type").asText()).isEqualTo("text");
        for (String f : List.of("published", "ingestedAt", "taggedAt", "indexedAt")) {
            assertThat(p.get(f).get("type").asText()).as(f).isEqualTo("date");
        }
        for (String f : List.of("authorCount", "readMinutes", "upvotes")) {
            assertThat(p.get(f).get("type").asText()).as(f).isEqualTo("integer");
        }
    }
}
