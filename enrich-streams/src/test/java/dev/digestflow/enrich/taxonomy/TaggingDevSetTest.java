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
 * <li><b>Tuning set</b> ({@code tagging/dev-set.jsonl}, 555 items): the only items the taxonomy was
 * adjusted against. It holds the earlier test sets too (the first test half, odd ids; then ids from
 * 1000, 2000, 3000, then from 4000): once a test set has been evaluated, it becomes tuning data.</li>
 * <li><b>Test set</b> ({@code tagging/test-set.jsonl}, 100 items, ids from 5000): written before the
 * last round of tuning, without looking at the tagger's output, and evaluated once after it; reported
 * here (the table only, never its misses) and held to a floor a little under what was measured, so
 * that a regression fails. A next round of tuning folds it into the tuning set and needs a fresh one.</li>
 * </ul>
 * {@code -Ddigestflow.tuning=true} prints the tuning set's misses and skips the test set, for
 * adjusting the taxonomy without looking at the test items.
 */
class TaggingDevSetTest {

    /** A little under what the test set measured when it was first evaluated (P 0.841, R 0.784), so that a regression fails. */
    static final double TEST_MIN_PRECISION = 0.82;
    static final double TEST_MIN_RECALL = 0.76;

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
        assertThat(testSet).hasSizeGreaterThanOrEqualTo(100);
        assertThat(test.precision()).as("precision on the test set").isGreaterThanOrEqualTo(TEST_MIN_PRECISION);
        assertThat(test.recall()).as("recall on the test set").isGreaterThanOrEqualTo(TEST_MIN_RECALL);
    }
}
