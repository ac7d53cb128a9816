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
 * The default taxonomy against hand-labelled items the samples never saw, in the style of blog
 * listings, daily-papers pages and topic hubs, each labelled with the tags a reader would give.
 * <ul>
 * <li><b>Tuning set</b> ({@code tagging/dev-set.jsonl}, 166 items): the only items the taxonomy was
 * adjusted against. Its odd ids were the first test half; once their misses had been printed they
 * were tuning data too, so they moved here.</li>
 * <li><b>Test set</b> ({@code tagging/test-set.jsonl}, 89 items, ids from 1000): written afterwards
 * and evaluated once the tuning was done (its misses were read once, after that evaluation: a next
 * round of tuning needs a fresh test set again); reported here and held to a floor a little under
 * what was measured, so that a regression fails.</li>
 * </ul>
 * {@code -Ddigestflow.tuning=true} prints the tuning set's misses and skips the test set, for
 * adjusting the taxonomy without looking at the test items.
 */
class TaggingDevSetTest {

    /** A little under what the test set measured when it was first evaluated (P 0.860, R 0.766), so that a regression fails. */
    static final double TEST_MIN_PRECISION = 0.84;
    static final double TEST_MIN_RECALL = 0.74;

    static List<TagEvaluation.Labelled> load(String resource) throws Exception {
        List<TagEvaluation.Labelled> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = TaggingDevSetTest.class.getResourceAsStream(resource);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = json.readTree(line);
                Set<String> tags = new HashSet<>();
                n.get("tags").forEach(t -> tags.add(t.asText()));
                out.add(new TagEvaluation.Labelled(n.get("title").asText(), n.get("summary").asText(), tags));
            }
        }
        return out;
    }

    @Test
    void theTestSetMeetsThePrecisionAndRecallFloor() throws Exception {
        Tagger tagger = new Tagger(Taxonomy.defaults());
        TagEvaluation tuning = TagEvaluation.of(tagger, load("/tagging/dev-set.jsonl"));
        System.out.println(tuning.table("Tuning set (dev-set.jsonl):"));
        if (Boolean.getBoolean("digestflow.tuning")) {
            // While adjusting the taxonomy: the tuning set only, never the test set.
            tuning.misses().forEach(m -> System.out.println("  tuning miss: " + m));
            return;
        }
        List<TagEvaluation.Labelled> testSet = load("/tagging/test-set.jsonl");
        TagEvaluation test = TagEvaluation.of(tagger, testSet);
        // The table only: printing the test set's misses would make them tuning data for whoever reads them next.
        System.out.println(test.table("Test set (test-set.jsonl), never tuned on:"));
        assertThat(testSet).hasSizeGreaterThanOrEqualTo(80);
        assertThat(test.precision()).as("precision on the test set").isGreaterThanOrEqualTo(TEST_MIN_PRECISION);
        assertThat(test.recall()).as("recall on the test set").isGreaterThanOrEqualTo(TEST_MIN_RECALL);
    }
}
