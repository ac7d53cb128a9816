package dev.digestflow.app;

import dev.digestflow.app.console.ItemSearch;

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
        assertThat(ids).containsExactlyInAnyOrder("index-pattern/digestflow-digest-items", "dashboard/digestflow-overview", "search/digestflow-latest-items",
                "lens/digestflow-items-over-time-by-tag", "lens/digestflow-top-tags", "lens/digestflow-tags-by-format");
        for (JsonNode o : objects) {
            for (JsonNode ref : o.get("references")) {
                assertThat(ids).as("reference from " + o.get("id")).contains(ref.get("type").asText() + "/" + ref.get("id").asText());
            }
            for (String embedded : List.of("panelsJSON", "optionsJSON")) {
                if (o.get("attributes").has(embedded)) {
                    json.readTree(o.get("attributes").get(embedded).asText());
                }
            }
        }
        JsonNode dataView = objects.stream().filter(o -> o.get("type").asText().equals("index-pattern")).findFirst().orElseThrow();
        assertThat(dataView.get("attributes").get("title").asText()).isEqualTo("digest-items");
    }

    /**
     * The 8.x form: migration versions on every object (an object without them is taken as 7.x and
     * migrated from there), Lens instead of legacy visualizations, and dashboard controls instead of
     * the deprecated input-control panel; every dashboard panel and control is referenced.
     */
    @Test
    void theObjectsAreInTheEightXForm() throws Exception {
        for (JsonNode o : objects()) {
            assertThat(o.path("coreMigrationVersion").asText()).as(o.get("id") + " coreMigrationVersion").matches("8\\.\\d+\\.\\d+");
            assertThat(o.path("typeMigrationVersion").asText()).as(o.get("id") + " typeMigrationVersion").matches("[78]\\.\\d+\\.\\d+");
            assertThat(o.get("type").asText()).as("no legacy visualization objects").isNotEqualTo("visualization");
            if (o.get("type").asText().equals("lens")) {
                JsonNode state = o.at("/attributes/state");
                JsonNode layers = state.at("/datasourceStates/formBased/layers");
                assertThat(layers.size()).isPositive();
                layers.fields().forEachRemaining(layer -> {
                    assertThat(o.get("references").toString()).as("the layer's data view is referenced")
                            .contains("indexpattern-datasource-layer-" + layer.getKey());
                    List<String> order = new ArrayList<>();
                    layer.getValue().get("columnOrder").forEach(c -> order.add(c.asText()));
                    List<String> columns = new ArrayList<>();
                    layer.getValue().get("columns").fieldNames().forEachRemaining(columns::add);
                    assertThat(order).containsExactlyInAnyOrderElementsOf(columns);
                });
            }
        }
        JsonNode dashboard = objects().stream().filter(o -> o.get("type").asText().equals("dashboard")).findFirst().orElseThrow();
        String refs = dashboard.get("references").toString();
        for (JsonNode panel : json.readTree(dashboard.at("/attributes/panelsJSON").asText())) {
            assertThat(refs).contains("\"" + panel.get("panelIndex").asText() + ":" + panel.get("panelRefName").asText() + "\"");
        }
        JsonNode controls = json.readTree(dashboard.at("/attributes/controlGroupInput/panelsJSON").asText());
        assertThat(controls.size()).isEqualTo(3);
        controls.fieldNames().forEachRemaining(id -> assertThat(refs).contains("controlGroup_" + id + ":optionsListDataView"));
        assertThat(dashboard.at("/attributes/panelsJSON").asText()).doesNotContain("input_control_vis");
    }

    /**
     * The console's Items charts ({@link ItemSearch}) and Kibana's show the same figures: the same
     * fields and bucket sizes, "Other" included, and over time the tags ranked over the whole range
     * (the terms column before the date histogram, as Lens itself builds a breakdown), each with a
     * histogram on ingestedAt at Kibana's auto interval.
     */
    @Test
    void theConsolesItemChartsAndKibanasUseTheSameFieldsAndBuckets() throws Exception {
        JsonNode overTime = lensLayer("digestflow-items-over-time-by-tag");
        List<String> order = new ArrayList<>();
        overTime.get("columnOrder").forEach(c -> order.add(c.asText()));
        assertThat(order).containsExactly("tag", "x", "count");
        assertThat(overTime.at("/columns/tag/sourceField").asText()).isEqualTo("tags");
        assertThat(overTime.at("/columns/tag/params/size").asInt()).isEqualTo(ItemSearch.TAGS_OVER_TIME);
        assertThat(overTime.at("/columns/tag/params/otherBucket").asBoolean()).isTrue();
        assertThat(overTime.at("/columns/x/sourceField").asText()).isEqualTo(ItemSearch.TIME_FIELD);
        assertThat(overTime.at("/columns/x/params/interval").asText()).isEqualTo("auto");
        JsonNode top = lensLayer("digestflow-top-tags");
        assertThat(top.at("/columns/tag/sourceField").asText()).isEqualTo("tags");
        assertThat(top.at("/columns/tag/params/size").asInt()).isEqualTo(ItemSearch.TOP_TAGS);
        assertThat(top.at("/columns/tag/params/otherBucket").asBoolean()).isTrue();
        JsonNode dataView = objects().stream().filter(o -> o.get("type").asText().equals("index-pattern")).findFirst().orElseThrow();
        assertThat(dataView.at("/attributes/timeFieldName").asText()).isEqualTo(ItemSearch.TIME_FIELD);
    }

    private JsonNode lensLayer(String id) throws Exception {
        JsonNode lens = objects().stream().filter(o -> o.get("id").asText().equals(id)).findFirst().orElseThrow();
        return lens.at("/attributes/state/datasourceStates/formBased/layers").elements().next();
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
            a.at("/state/datasourceStates/formBased/layers").forEach(layer -> layer.get("columns").forEach(c -> {
                if (c.has("sourceField") && !c.get("sourceField").asText().equals("___records___")) {
                    used.add(c.get("sourceField").asText());
                }
            }));
            if (a.has("controlGroupInput")) {
                json.readTree(a.at("/controlGroupInput/panelsJSON").asText()).forEach(c -> used.add(c.at("/explicitInput/fieldName").asText()));
            }
            if (a.has("columns")) {
                a.get("columns").forEach(c -> used.add(c.asText()));
                a.get("sort").forEach(s -> used.add(s.get(0).asText()));
            }
        }
        assertThat(used).contains("tags", "source.format", "source.file", "ingestedAt", "title", "matchedTerms");
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
