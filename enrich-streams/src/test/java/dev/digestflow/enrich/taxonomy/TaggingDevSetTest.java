package dev.digestflow.enrich.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The default taxonomy against a development set the samples never saw: 166 titles and summaries in
 * the style of blog listings, daily-papers pages and topic hubs, written for this purpose and
 * labelled by hand with the tags a reader would give (src/test/resources/tagging/dev-set.jsonl).
 * Items with an even id are the tuning half, the only one the taxonomy was adjusted against; items
 * with an odd id are the test half, reported here and held to a floor a little under what was
 * measured, so that a regression fails.
 */
class TaggingDevSetTest {

    static final double TEST_MIN_PRECISION = 0.88;
    static final double TEST_MIN_RECALL = 0.83;

    static List<TagEvaluation.Labelled> half(boolean tuning) throws Exception {
        List<TagEvaluation.Labelled> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = TaggingDevSetTest.class.getResourceAsStream("/tagging/dev-set.jsonl");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = json.readTree(line);
                if ((n.get("id").asInt() % 2 == 0) == tuning) {
                    Set<String> tags = new HashSet<>();
                    n.get("tags").forEach(t -> tags.add(t.asText()));
                    out.add(new TagEvaluation.Labelled(n.get("title").asText(), n.get("summary").asText(), tags));
                }
            }
        }
        return out;
    }

    @Test
    void theTestHalfMeetsThePrecisionAndRecallFloor() throws Exception {
        Tagger tagger = new Tagger(Taxonomy.defaults());
        TagEvaluation tuning = TagEvaluation.of(tagger, half(true));
        TagEvaluation test = TagEvaluation.of(tagger, half(false));
        System.out.println(tuning.table("Tuning half (even ids):"));
        if (Boolean.getBoolean("digestflow.tuning")) {
            // While adjusting the taxonomy: the tuning half only, never the test half.
            tuning.misses().forEach(m -> System.out.println("  tuning miss: " + m));
            return;
        }
        System.out.println(test.table("Test half (odd ids), never tuned on:"));
        test.misses().forEach(m -> System.out.println("  test miss: " + m));
        assertThat(half(false)).hasSizeGreaterThanOrEqualTo(80);
        assertThat(test.precision()).as("precision on the test half").isGreaterThanOrEqualTo(TEST_MIN_PRECISION);
        assertThat(test.recall()).as("recall on the test half").isGreaterThanOrEqualTo(TEST_MIN_RECALL);
    }
}
