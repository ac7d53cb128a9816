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
 * <li><b>Tuning set</b> (655 items): the only items the taxonomy was adjusted against, and the labelled
 * examples its learned part trains on ({@code taxonomy/default-examples.jsonl}, shipped with the taxonomy). It holds the earlier test sets too (the first test half, odd ids; then ids from
 * 1000, 2000, 3000, 4000, then from 5000): once a test set has been evaluated, it becomes tuning data.</li>
 * <li><b>Test set</b> ({@code tagging/test-set.jsonl}, 100 items, ids from 6000): written before the
 * last round of tuning, without looking at the tagger's output, and evaluated once after it; reported
 * here (the table only, never its misses) and held to a floor a little under what was measured, so
 * that a regression fails. A next round of tuning folds it into the tuning set and needs a fresh one.</li>
 * </ul>
 * {@code -Ddigestflow.tuning=true} prints the tuning set's misses and the learned part's cross-validated
 * settings, and skips the test set, for adjusting the taxonomy without looking at the test items.
 */
class TaggingDevSetTest {

    /**
     * A little under what the test set measured when it was first evaluated (P 0.837, R 0.695; the lexicon
     * alone 0.795 / 0.701), so that a regression fails. Its items were checked against the tuning items:
     * none shares a quarter of its words with one (a fifth of the round-3 and round-4 test items did).
     */
    static final double TEST_MIN_PRECISION = 0.82;
    static final double TEST_MIN_RECALL = 0.67;

    /** The JSON objects of a JSON-lines resource, blank lines skipped. */
    static List<JsonNode> jsonLines(String resource) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = TaggingDevSetTest.class.getResourceAsStream(resource);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(json.readTree(line));
                }
            }
        }
        return out;
    }

    private static Set<String> tags(JsonNode n) {
        Set<String> tags = new HashSet<>();
        n.get("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    static List<TagEvaluation.Labelled> load(String resource) throws Exception {
        List<TagEvaluation.Labelled> out = new ArrayList<>();
        for (JsonNode n : jsonLines(resource)) {
            out.add(new TagEvaluation.Labelled(n.get("title").asText(), n.get("summary").asText(), tags(n)));
        }
        return out;
    }

    /**
     * While tuning ({@code -Ddigestflow.tuning=true}): the learned part's settings by 5-fold
     * cross-validation on the tuning set, each fold's model trained on the other four fifths. The lexicon
     * was tuned on all of them, so these figures flatter the lexicon's input a little; they choose C and the
     * apply probability, and the test set then says what holds.
     */
    /**
     * How far the labels themselves agree: 60 tuning items drawn at random (seed 20261206) were labelled
     * again from their title and summary, without their first labels ({@code tagging/relabelled.jsonl}).
     * Measured P 0.978, R 0.908 (the second labels against the first): a ceiling for any tagger judged
     * against these labels, and far above what the tagger reaches, so the labels are not its limit. One
     * annotator, so an upper bound on agreement between people.
     */
    @Test
    void theLabelsAgreeWithABlindRelabellingOfSixtyItems() throws Exception {
        java.util.Map<Integer, Set<String>> first = new java.util.HashMap<>();
        java.util.Map<Integer, Set<String>> second = new java.util.LinkedHashMap<>();
        jsonLines("/taxonomy/default-examples.jsonl").forEach(n -> first.put(n.get("id").asInt(), tags(n)));
        jsonLines("/tagging/relabelled.jsonl").forEach(n -> second.put(n.get("id").asInt(), tags(n)));
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (java.util.Map.Entry<Integer, Set<String>> e : second.entrySet()) {
            assertThat(first).as("item %d is a tuning item", e.getKey()).containsKey(e.getKey());
            Set<String> a = first.get(e.getKey());
            tp += (int) e.getValue().stream().filter(a::contains).count();
            fp += (int) e.getValue().stream().filter(t -> !a.contains(t)).count();
            fn += (int) a.stream().filter(t -> !e.getValue().contains(t)).count();
        }
        double precision = (double) tp / (tp + fp);
        double recall = (double) tp / (tp + fn);
        System.out.printf(java.util.Locale.ROOT, "Blind re-labelling of %d tuning items against their first labels: P %.3f R %.3f%n", second.size(),
                precision, recall);
        assertThat(second).hasSize(60);
        // A label edited in one file but not the other shows here.
        assertThat(precision).isGreaterThanOrEqualTo(0.95);
        assertThat(recall).isGreaterThanOrEqualTo(0.88);
    }

    static void printCrossValidatedSettings() throws Exception {
        Taxonomy defaults = Taxonomy.defaults();
        Tagger lexicon = new Tagger(defaults.withoutLearnedPart());
        List<TagEvaluation.Labelled> items = load("/taxonomy/default-examples.jsonl");
        System.out.println(TagEvaluation.of(lexicon, items).table("Lexicon alone, tuning set:"));
        List<LearnedTagModel.Example> prepared = LabelledExample.prepare(lexicon,
                items.stream().map(item -> new LabelledExample(0, item.title(), item.summary(), item.tags())).toList());
        for (double share : new double[] {0.05, 0.1, 1.0}) {
            for (double c : new double[] {3, 10, 30}) {
                for (double p : new double[] {0.3, 0.35, 0.4}) {
                    TagEvaluation cv = crossValidate(defaults, items, prepared, c, p, share);
                    System.out.printf(java.util.Locale.ROOT, "max item share %.2f  C %5.1f  apply at p %.2f:  P %.3f  R %.3f%n", share, c, p,
                            cv.precision(), cv.recall());
                    if (c == LearnedTagModel.REGULARIZATION_C && p == LearnedTagModel.APPLY_PROBABILITY && share == LearnedTagModel.MAX_ITEM_SHARE) {
                        System.out.println(cv.table("Cross-validated, the chosen settings:"));
                        // In-sample misses say little once the learned part has trained on the items: each of these is a miss by the model that did not.
                        cv.misses().forEach(m -> System.out.println("  cross-validated miss: " + m));
                    }
                }
            }
        }
    }

    /** Five folds: each item tagged by the learned part trained on the other four fifths. */
    private static TagEvaluation crossValidate(Taxonomy defaults, List<TagEvaluation.Labelled> items, List<LearnedTagModel.Example> prepared,
            double c, double p, double share) {
        int folds = 5;
        List<Tagger> taggers = new ArrayList<>();
        for (int fold = 0; fold < folds; fold++) {
            List<LearnedTagModel.Example> train = new ArrayList<>();
            for (int i = 0; i < prepared.size(); i++) {
                if (i % folds != fold) {
                    train.add(prepared.get(i));
                }
            }
            LearnedTagModel model = LearnedTagModel.train(train, defaults.tags().size(), defaults.threshold(), c, p, share);
            taggers.add(new Tagger(defaults.withLearnedPart(model, "fold", train.size())));
        }
        java.util.IdentityHashMap<TagEvaluation.Labelled, Integer> index = new java.util.IdentityHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            index.put(items.get(i), i);
        }
        return TagEvaluation.of(item -> taggers.get(index.get(item) % folds).tag(item.title(), item.summary()), items);
    }

    @Test
    void theTestSetMeetsThePrecisionAndRecallFloor() throws Exception {
        Tagger tagger = new Tagger(Taxonomy.defaults());
        TagEvaluation tuning = TagEvaluation.of(tagger, load("/taxonomy/default-examples.jsonl"));
        System.out.println(tuning.table("Tuning set (taxonomy/default-examples.jsonl; the learned part trained on it):"));
        if (Boolean.getBoolean("digestflow.tuning")) {
            // While adjusting the taxonomy: the tuning set only, never the test set.
            printCrossValidatedSettings();
            return;
        }
        List<TagEvaluation.Labelled> testSet = load("/tagging/test-set.jsonl");
        TagEvaluation test = TagEvaluation.of(tagger, testSet);
        // The table only: printing the test set's misses would make them tuning data for whoever reads them next.
        System.out.println(test.table("Test set (test-set.jsonl), never tuned on:"));
        // What the learned part adds on items neither part saw: the same set, the lexicon alone.
        System.out.println(TagEvaluation.of(new Tagger(Taxonomy.defaults().withoutLearnedPart()), testSet).table("Test set, the lexicon alone:"));
        assertThat(testSet).hasSizeGreaterThanOrEqualTo(100);
        assertThat(test.precision()).as("precision on the test set").isGreaterThanOrEqualTo(TEST_MIN_PRECISION);
        assertThat(test.recall()).as("recall on the test set").isGreaterThanOrEqualTo(TEST_MIN_RECALL);
    }
}
