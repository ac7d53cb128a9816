package dev.digestflow.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The three real digests in shared/samples/digests against their golden files (every field of every
 * item, written out in test resources and checked by hand), with the exact counts the issue states.
 */
class SampleDigestsGoldenTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} is {1} with {2} items")
    @CsvSource({
            "000_545bdede27ca3e01, blog-listing, 10",
            "003_19fcee2af990f575, daily-papers, 48",
            "004_daa9faf00548796a, topic-hub, 31"})
    void sampleMatchesItsGoldenFileFieldByField(String sample, String format, int expectedItems) throws Exception {
        ParseResult result = ParserRegistry.defaults().parse(Fixtures.text("samples/" + sample + ".txt"));
        JsonNode golden = JSON.readTree(Fixtures.bytes("golden/" + sample + ".json"));

        assertThat(result.format()).isEqualTo(format).isEqualTo(golden.get("format").asText());
        assertThat(result.items()).hasSize(expectedItems);
        assertThat(golden.get("items")).hasSize(expectedItems);
        for (int i = 0; i < expectedItems; i++) {
            assertThat(asMap(result.items().get(i))).as("item %d of %s", i, sample)
                    .isEqualTo(JSON.convertValue(golden.get("items").get(i), Map.class));
        }
        List<String> warnings = new ArrayList<>();
        result.warnings().forEach(w -> warnings.add(w.toString()));
        assertThat(warnings).isEqualTo(JSON.convertValue(golden.get("warnings"), List.class));
    }

    private static Map<String, Object> asMap(ParsedItem item) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", item.line());
        m.put("title", item.title());
        m.put("summary", item.summary());
        m.put("url", item.url());
        m.put("authors", item.authors());
        m.put("authorCount", item.authorCount());
        m.put("published", item.published() == null ? null : item.published().toString());
        m.put("publishedText", item.publishedText());
        m.put("readMinutes", item.readMinutes());
        m.put("upvotes", item.upvotes());
        m.put("section", item.section());
        m.put("collection", item.collection());
        return m;
    }
}
