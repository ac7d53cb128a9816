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
    /**
     * A word in more than this share of the training items ("we", "model", "from") says nothing about a
     * topic, only about a style (papers say "we", blogs "our"), and made explanations such as
     * {@code learned "we"}; chosen with C. Document frequency, as scikit-learn's max_df, rather than a
     * hand-written stop list. Not below {@link #MIN_ITEMS_FOR_SHARE} items: in a team's first twenty
     * examples, a share says nothing yet.
     */
    static final double MAX_ITEM_SHARE = 0.05;
    static final int MIN_ITEMS_FOR_SHARE = 20;
    /** A tag with fewer positive examples keeps the lexicon alone. */
    static final int MIN_POSITIVES = 5;
    /** How many words an explanation names. */
    static final int EXPLAINED_WORDS = 3;

    /**
     * Feature to column (0-based; LIBLINEAR's index is one more; the lexicon score and a constant come
     * after the text columns), by kind and word, so that tagging looks a feature up without building its
     * name: pairs by their first word, then their second.
     */
    private final Map<String, Integer> words;
    private final Map<String, Integer> titleWords;
    private final Map<String, Map<String, Integer>> pairs;
    /** Per tag: weights in lexicon units (per column, already multiplied by threshold/α); null when the tag has no learned part. */
    private final double[][] weights;
    /** Per tag: the offset in lexicon units (the constant's weight and the apply probability's logit, over α). */
    private final double[] offsets;
    private final int textColumns;
    private final double threshold;

    private LearnedTagModel(Map<String, Integer> vocabulary, double[][] weights, double[] offsets, int textColumns, double threshold) {
        this.words = new HashMap<>();
        this.titleWords = new HashMap<>();
        this.pairs = new HashMap<>();
        vocabulary.forEach((name, column) -> {
            String feature = name.substring(2);
            switch (name.charAt(0)) {
                case 'w' -> words.put(feature, column);
                case 't' -> titleWords.put(feature, column);
                default -> {
                    int space = feature.indexOf(' ');
                    pairs.computeIfAbsent(feature.substring(0, space), k -> new HashMap<>()).put(feature.substring(space + 1), column);
                }
            }
        });
        this.weights = weights;
        this.offsets = offsets;
        this.textColumns = textColumns;
        this.threshold = threshold;
    }

    /** Whether no tag has a learned part (no examples, or none with enough positives): the lexicon alone decides. */
    boolean isEmpty() {
        return learnedTags() == 0;
    }

    /** One training item: its analysed fields, the lexicon's score per tag, and whether each tag is in its labels. */
    record Example(Tokens title, Tokens lead, Tokens rest, double[] lexiconScores, boolean[] labelled) {
    }

    /** Receives an item's features one by one; a feature may come more than once. */
    private interface FeatureVisitor {
        /**
         * @param kind 'w' a word of any field, 't' a word of the title, 'b' two adjacent words of one field
         * @param second the pair's second word ('b'), else null
         * @param field, from, to where in the item it is: the field (0 title, 1 lead, 2 rest) and its tokens [from, to]
         */
        void visit(char kind, String word, String second, int field, int from, int to);
    }

    /** The one definition of an item's features, for training and for tagging alike. */
    private static void forEachFeature(Tokens[] fields, FeatureVisitor visitor) {
        for (int f = 0; f < fields.length; f++) {
            List<String> words = fields[f].words();
            for (int k = 0; k < words.size(); k++) {
                visitor.visit('w', words.get(k), null, f, k, k);
                if (f == 0) {
                    visitor.visit('t', words.get(k), null, f, k, k);
                }
                if (k + 1 < words.size()) {
                    visitor.visit('b', words.get(k), words.get(k + 1), f, k, k + 1);
                }
            }
        }
    }

    /** Feature names as the vocabulary keeps them, e.g. {@code w:distil}, {@code b:reward model}. */
    static java.util.Set<String> featureNames(Tokens title, Tokens lead, Tokens rest) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        forEachFeature(new Tokens[] {title, lead, rest}, (kind, word, second, field, from, to) -> out.add(second == null ? kind + ":" + word : kind + ":" + word + ' ' + second));
        return out;
    }

    static LearnedTagModel train(List<Example> examples, int tagCount, double threshold) {
        return train(examples, tagCount, threshold, REGULARIZATION_C, APPLY_PROBABILITY, MAX_ITEM_SHARE);
    }

    /** Trains one model per tag; tags with fewer than {@link #MIN_POSITIVES} positive examples get none. Deterministic. */
    static LearnedTagModel train(List<Example> examples, int tagCount, double threshold, double c, double applyProbability, double maxItemShare) {
        if (examples.isEmpty()) {
            return NONE;
        }
        List<java.util.Set<String>> itemFeatures = new ArrayList<>();
        Map<String, Integer> itemsPerFeature = new HashMap<>();
        for (Example e : examples) {
            java.util.Set<String> f = featureNames(e.title(), e.lead(), e.rest());
            itemFeatures.add(f);
            f.forEach(name -> itemsPerFeature.merge(name, 1, Integer::sum));
        }
        // Columns in sorted order, so that the same examples give the same model.
        Map<String, Integer> vocabulary = new LinkedHashMap<>();
        double maxItems = Math.max(maxItemShare * examples.size(), MIN_ITEMS_FOR_SHARE);
        itemsPerFeature.entrySet().stream()
                .filter(e -> e.getValue() >= MIN_ITEMS_PER_FEATURE && e.getValue() <= maxItems).map(Map.Entry::getKey).sorted()
                .forEach(name -> vocabulary.put(name, vocabulary.size()));
        int textColumns = vocabulary.size();
        int lexiconColumn = textColumns;
        int constantColumn = textColumns + 1;
        int[][] rows = new int[examples.size()][];
        for (int i = 0; i < examples.size(); i++) {
            rows[i] = itemFeatures.get(i).stream().map(vocabulary::get).filter(java.util.Objects::nonNull).mapToInt(Integer::intValue)
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

    /**
     * The item's features as columns of this model (each once), their common value (binary, scaled to unit
     * length), and where each was first seen, for explanations.
     */
    record Vector(int[] columns, double value, long[] places, Tokens[] fields) {
    }

    Vector vector(Tokens title, Tokens lead, Tokens rest) {
        Tokens[] fields = {title, lead, rest};
        int capacity = 3 * (title.size() + lead.size() + rest.size());
        int[] columns = new int[capacity];
        long[] places = new long[capacity]; // field << 42 | from << 21 | to: token indexes below 2^21, a 2 MB text's
        java.util.BitSet seen = new java.util.BitSet(textColumns);
        int[] n = {0};
        forEachFeature(fields, (kind, word, second, field, from, to) -> {
            Integer column = switch (kind) {
                case 'w' -> words.get(word);
                case 't' -> titleWords.get(word);
                default -> {
                    Map<String, Integer> after = pairs.get(word);
                    yield after == null ? null : after.get(second);
                }
            };
            if (column != null && !seen.get(column)) {
                seen.set(column);
                columns[n[0]] = column;
                places[n[0]++] = (long) field << 42 | (long) from << 21 | to;
            }
        });
        return new Vector(Arrays.copyOf(columns, n[0]), n[0] == 0 ? 0 : 1 / Math.sqrt(n[0]), Arrays.copyOf(places, n[0]), fields);
    }

    /** The item's text a feature came from. */
    private static String surface(Vector v, int k) {
        long place = v.places()[k];
        Tokens field = v.fields()[(int) (place >>> 42)];
        return field.text().substring(field.starts()[(int) (place >>> 21) & 0x1fffff], field.ends()[(int) place & 0x1fffff]);
    }

    /** How many tags have a learned part. */
    int learnedTags() {
        return (int) Arrays.stream(weights).filter(java.util.Objects::nonNull).count();
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

    /** The item's words that raised the tag's learned score most, each as {@code learned "word" +weight}, heaviest first. */
    List<String> explain(int tag, Vector v) {
        double[] row = weights[tag];
        int[] columns = v.columns();
        List<String> out = new ArrayList<>(EXPLAINED_WORDS);
        java.util.Set<String> named = new java.util.HashSet<>();
        boolean[] used = new boolean[columns.length];
        // A few passes for the heaviest rather than a sort: a tag names three of a hundred or more.
        while (out.size() < EXPLAINED_WORDS) {
            int best = -1;
            for (int k = 0; k < columns.length; k++) {
                if (!used[k] && (best < 0 || row[columns[k]] > row[columns[best]])) {
                    best = k;
                }
            }
            if (best < 0 || row[columns[best]] * v.value() < 0.05) {
                break;
            }
            used[best] = true;
            String surface = surface(v, best).toLowerCase(Locale.ROOT);
            if (named.add(surface)) {
                out.add("learned \"" + surface + "\" +" + Math.round(row[columns[best]] * v.value() * 100) / 100.0);
            }
        }
        return out;
    }
}
