package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.digestflow.sink.index.IndexSetup;

/** The shipped Kibana saved objects parse, hang together, and only use fields the index template maps. */
class DashboardsTest {

    private static final Path NDJSON = Path.of("..", "dashboards", "digestflow.ndjson");
    private final ObjectMapper json = new ObjectMapper();

    private List<JsonNode> objects() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(NDJSON)) {
            if (!line.isBlank()) {
                out.add(json.readTree(line));
            }
        }
        return out;
    }

    @Test
    void everyObjectParsesAndEveryReferenceResolves() throws Exception {
        List<JsonNode> objects = objects();
        Set<String> ids = new HashSet<>();
        objects.forEach(o -> ids.add(o.get("type").asText() + "/" + o.get("id").asText()));
        assertThat(ids).contains("index-pattern/digestflow-digest-items", "dashboard/digestflow-overview", "search/digestflow-latest-items",
                "visualization/digestflow-items-over-time-by-tag", "visualization/digestflow-top-tags", "visualization/digestflow-tags-by-format",
                "visualization/digestflow-search-controls");
        for (JsonNode o : objects) {
            for (JsonNode ref : o.get("references")) {
                assertThat(ids).as("reference from " + o.get("id")).contains(ref.get("type").asText() + "/" + ref.get("id").asText());
            }
            for (String embedded : List.of("visState", "panelsJSON", "optionsJSON")) {
                if (o.get("attributes").has(embedded)) {
                    json.readTree(o.get("attributes").get(embedded).asText());
                }
            }
        }
        JsonNode dataView = objects.stream().filter(o -> o.get("type").asText().equals("index-pattern")).findFirst().orElseThrow();
        assertThat(dataView.get("attributes").get("title").asText()).isEqualTo("digest-items");
    }

    @Test
    void everyReferencedFieldExistsInTheIndexTemplate() throws Exception {
        JsonNode properties = json.readTree(IndexSetup.mappingsJson()).get("properties");
        List<String> used = new ArrayList<>();
        for (JsonNode o : objects()) {
            JsonNode a = o.get("attributes");
            if (a.has("timeFieldName")) {
                used.add(a.get("timeFieldName").asText());
            }
            if (a.has("visState")) {
                JsonNode vis = json.readTree(a.get("visState").asText());
                vis.get("aggs").forEach(agg -> {
                    if (agg.get("params").has("field")) {
                        used.add(agg.get("params").get("field").asText());
                    }
                });
                if (vis.get("params").has("controls")) {
                    vis.get("params").get("controls").forEach(c -> used.add(c.get("fieldName").asText()));
                }
            }
            if (a.has("columns")) {
                a.get("columns").forEach(c -> used.add(c.asText()));
                a.get("sort").forEach(s -> used.add(s.get(0).asText()));
            }
        }
        assertThat(used).contains("tags", "source.format", "ingestedAt", "title", "matchedTerms");
        for (String field : used) {
            assertThat(resolve(properties, field)).as("field %s is mapped in the index template", field).isNotNull();
        }
    }

    /** "source.format" -> properties.source.properties.format; "title.keyword" -> a multi-field. */
    private static JsonNode resolve(JsonNode properties, String path) {
        String[] parts = path.split("\\.");
        JsonNode node = properties.get(parts[0]);
        for (int i = 1; i < parts.length && node != null; i++) {
            JsonNode next = node.has("properties") ? node.get("properties").get(parts[i]) : null;
            node = next != null ? next : node.has("fields") ? node.get("fields").get(parts[i]) : null;
        }
        return node;
    }
}
