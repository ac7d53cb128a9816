package dev.digestflow.enrich.taxonomy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;

/**
 * The tagger's learned part: per tag, a logistic regression (LIBLINEAR) over the item's analysed words
 * and word pairs and the lexicon's own score for that tag, trained on the taxonomy's labelled examples.
 * <p>
 * Why beside the lexicon and not instead of it: the lexicon names a topic's vocabulary and stays readable
 * and editable; the model learns what the lexicon cannot list, the words a reader infers a topic from
 * ("leaderboard", "annotators") and how far to trust a lexicon match that comes in passing. With the
 * lexicon's score as one of its inputs, the model's decision is a linear one in lexicon units: the tag
 * applies when the lexicon score plus the learned score reaches the taxonomy's threshold, and the learned
 * score is a per-tag offset plus the weights of the item's words that the model knows. So a tag stays
 * explainable: {@link #explain} names the words that weighed most.
 * <p>
 * Immutable and thread-safe once trained.
 */
final class LearnedTagModel {

    /** No examples: the lexicon alone decides. */
    static final LearnedTagModel NONE = new LearnedTagModel(Map.of(), new double[0][], new double[0], 0, 0);

    /** LIBLINEAR's C (inverse regularization), chosen by cross-validation on the default examples. */
    static final double REGULARIZATION_C = 10.0;
    /** The model's probability at which a tag applies, chosen with {@link #REGULARIZATION_C}. */
    static final double APPLY_PROBABILITY = 0.35;
    /** A word or pair seen in fewer training items says nothing general (and would let the model memorize an item). */
    static final int MIN_ITEMS_PER_FEATURE = 2;
    /** A tag with fewer positive examples keeps the lexicon alone. */
    static final int MIN_POSITIVES = 5;
    /** How many words an explanation names. */
    static final int EXPLAINED_WORDS = 3;

    /** Feature name to column (0-based; LIBLINEAR's index is one more). The last two columns: the lexicon score, a constant. */
    private final Map<String, Integer> vocabulary;
    /** Per tag: weights in lexicon units (per column, already multiplied by threshold/α); null when the tag has no learned part. */
    private final double[][] weights;
    /** Per tag: the offset in lexicon units (the constant's weight and the apply probability's logit, over α). */
    private final double[] offsets;
    private final int textColumns;
    private final double threshold;

    private LearnedTagModel(Map<String, Integer> vocabulary, double[][] weights, double[] offsets, int textColumns, double threshold) {
        this.vocabulary = vocabulary;
        this.weights = weights;
        this.offsets = offsets;
        this.textColumns = textColumns;
        this.threshold = threshold;
    }

    boolean isEmpty() {
        return vocabulary.isEmpty();
    }

    /** One training item: its analysed fields, the lexicon's score per tag, and whether each tag is in its labels. */
    record Example(Tokens title, Tokens lead, Tokens rest, double[] lexiconScores, boolean[] labelled) {
    }

    /**
     * An item's features: analysed words of any field ("w:"), of the title ("t:"), and adjacent pairs within
     * a field ("b:"), each with the item's own text it came from first, for explanations.
     */
    static Map<String, String> features(Tokens title, Tokens lead, Tokens rest) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tokens field : new Tokens[] {title, lead, rest}) {
            for (int k = 0; k < field.size(); k++) {
                String word = field.words().get(k);
                String surface = field.text().substring(field.starts()[k], field.ends()[k]);
                out.putIfAbsent("w:" + word, surface);
                if (field == title) {
                    out.putIfAbsent("t:" + word, surface);
                }
                if (k + 1 < field.size()) {
                    out.putIfAbsent("b:" + word + ' ' + field.words().get(k + 1), field.text().substring(field.starts()[k], field.ends()[k + 1]));
                }
            }
        }
        return out;
    }

    static LearnedTagModel train(List<Example> examples, int tagCount, double threshold) {
        return train(examples, tagCount, threshold, REGULARIZATION_C, APPLY_PROBABILITY);
    }

    /** Trains one model per tag; tags with fewer than {@link #MIN_POSITIVES} positive examples get none. Deterministic. */
    static LearnedTagModel train(List<Example> examples, int tagCount, double threshold, double c, double applyProbability) {
        if (examples.isEmpty()) {
            return NONE;
        }
        List<Map<String, String>> itemFeatures = new ArrayList<>();
        Map<String, Integer> itemsPerFeature = new HashMap<>();
        for (Example e : examples) {
            Map<String, String> f = features(e.title(), e.lead(), e.rest());
            itemFeatures.add(f);
            f.keySet().forEach(name -> itemsPerFeature.merge(name, 1, Integer::sum));
        }
        // Columns in sorted order, so that the same examples give the same model.
        Map<String, Integer> vocabulary = new LinkedHashMap<>();
        itemsPerFeature.entrySet().stream().filter(e -> e.getValue() >= MIN_ITEMS_PER_FEATURE).map(Map.Entry::getKey).sorted()
                .forEach(name -> vocabulary.put(name, vocabulary.size()));
        int textColumns = vocabulary.size();
        int lexiconColumn = textColumns;
        int constantColumn = textColumns + 1;
        int[][] rows = new int[examples.size()][];
        for (int i = 0; i < examples.size(); i++) {
            rows[i] = itemFeatures.get(i).keySet().stream().map(vocabulary::get).filter(java.util.Objects::nonNull).mapToInt(Integer::intValue)
                    .sorted().toArray();
        }
        Linear.disableDebugOutput();
        double[][] weights = new double[tagCount][];
        double[] offsets = new double[tagCount];
        double applyLogit = Math.log(applyProbability / (1 - applyProbability));
        for (int tag = 0; tag < tagCount; tag++) {
            int positives = 0;
            Problem problem = new Problem();
            problem.l = examples.size();
            problem.n = textColumns + 2;
            problem.x = new Feature[examples.size()][];
            problem.y = new double[examples.size()];
            for (int i = 0; i < examples.size(); i++) {
                Example e = examples.get(i);
                Feature[] x = new Feature[rows[i].length + 2];
                double norm = rows[i].length == 0 ? 0 : 1 / Math.sqrt(rows[i].length);
                for (int k = 0; k < rows[i].length; k++) {
                    x[k] = new FeatureNode(rows[i][k] + 1, norm);
                }
                x[rows[i].length] = new FeatureNode(lexiconColumn + 1, e.lexiconScores()[tag] / threshold);
                x[rows[i].length + 1] = new FeatureNode(constantColumn + 1, 1.0);
                problem.x[i] = x;
                problem.y[i] = e.labelled()[tag] ? 1 : -1;
                positives += e.labelled()[tag] ? 1 : 0;
            }
            if (positives < MIN_POSITIVES || positives == examples.size()) {
                continue;
            }
            Model model = Linear.train(problem, new Parameter(SolverType.L2R_LR, c, 1e-4));
            double[] w = model.getFeatureWeights();
            double sign = model.getLabels()[0] == 1 ? 1 : -1; // LIBLINEAR's weights are for its first label
            double alpha = sign * w[lexiconColumn] / threshold; // per lexicon point
            if (alpha <= 1e-6) {
                continue; // the lexicon's score does not raise the odds: nothing to express in its units
            }
            double[] row = new double[textColumns];
            for (int k = 0; k < textColumns; k++) {
                row[k] = sign * w[k] / alpha;
            }
            weights[tag] = row;
            offsets[tag] = (sign * w[constantColumn] - applyLogit) / alpha;
        }
        return new LearnedTagModel(vocabulary, weights, offsets, textColumns, threshold);
    }

    /** The item's features as columns of this model, and each column's value. */
    record Vector(int[] columns, double value, String[] surfaces) {
    }

    Vector vector(Tokens title, Tokens lead, Tokens rest) {
        Map<String, String> f = features(title, lead, rest);
        int[] columns = new int[f.size()];
        String[] surfaces = new String[f.size()];
        int n = 0;
        for (Map.Entry<String, String> e : f.entrySet()) {
            Integer column = vocabulary.get(e.getKey());
            if (column != null) {
                columns[n] = column;
                surfaces[n++] = e.getValue();
            }
        }
        return new Vector(Arrays.copyOf(columns, n), n == 0 ? 0 : 1 / Math.sqrt(n), Arrays.copyOf(surfaces, n));
    }

    /** Whether the tag has a learned part. */
    boolean covers(int tag) {
        return tag < weights.length && weights[tag] != null;
    }

    /**
     * The learned score of a tag for an item, in lexicon units: the tag applies when the lexicon score
     * plus this reaches the threshold (which is the model's probability reaching {@link #APPLY_PROBABILITY}).
     */
    double score(int tag, Vector v) {
        double[] row = weights[tag];
        double sum = threshold + offsets[tag];
        for (int column : v.columns()) {
            sum += row[column] * v.value();
        }
        return sum;
    }

    /** The item's words that raised the tag's learned score most, each as {@code learned "word" +weight}. */
    List<String> explain(int tag, Vector v) {
        double[] row = weights[tag];
        Integer[] order = new Integer[v.columns().length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(row[v.columns()[b]], row[v.columns()[a]]));
        List<String> out = new ArrayList<>();
        java.util.Set<String> named = new java.util.HashSet<>();
        for (int k = 0; k < order.length && out.size() < EXPLAINED_WORDS; k++) {
            double contribution = row[v.columns()[order[k]]] * v.value();
            String surface = v.surfaces()[order[k]].toLowerCase(Locale.ROOT);
            if (contribution < 0.05) {
                break;
            }
            if (named.add(surface)) {
                out.add(String.format(Locale.ROOT, "learned \"%s\" +%.2f", surface, contribution));
            }
        }
        return out;
    }

    int textColumns() {
        return textColumns;
    }
}
