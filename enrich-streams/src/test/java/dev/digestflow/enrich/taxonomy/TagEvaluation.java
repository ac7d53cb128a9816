package dev.digestflow.enrich.taxonomy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.digestflow.schema.TagExplanation;

/**
 * Precision and recall of a tagger against hand labels, per tag and overall (micro-averaged over
 * item-tag pairs), with a printable table and the items it got wrong.
 */
final class TagEvaluation {

    /** One labelled item. */
    record Labelled(String title, String summary, Set<String> tags) {
    }

    private final Map<String, int[]> perTag = new TreeMap<>(); // tp, fp, fn
    private final List<String> misses = new ArrayList<>();

    static TagEvaluation of(Tagger tagger, List<Labelled> items) {
        return of(item -> tagger.tag(item.title(), item.summary()), items);
    }

    /** @param tagging the tags given to an item (for cross-validation: by the tagger that did not train on it) */
    static TagEvaluation of(java.util.function.Function<Labelled, List<TagExplanation>> tagging, List<Labelled> items) {
        TagEvaluation e = new TagEvaluation();
        for (Labelled item : items) {
            List<TagExplanation> explanations = tagging.apply(item);
            Set<String> actual = new HashSet<>();
            explanations.forEach(x -> actual.add(x.getTag()));
            for (String t : actual) {
                e.perTag.computeIfAbsent(t, k -> new int[3])[item.tags().contains(t) ? 0 : 1]++;
            }
            for (String t : item.tags()) {
                if (!actual.contains(t)) {
                    e.perTag.computeIfAbsent(t, k -> new int[3])[2]++;
                }
            }
            if (!item.tags().equals(actual)) {
                List<String> extra = new ArrayList<>();
                explanations.stream().filter(x -> !item.tags().contains(x.getTag()))
                        .forEach(x -> extra.add(x.getTag() + "=" + x.getScore() + x.getMatchedTerms()));
                e.misses.add(String.format(Locale.ROOT, "%-70.70s missing %s; extra %s", item.title(),
                        item.tags().stream().filter(t -> !actual.contains(t)).sorted().toList(), extra));
            }
        }
        return e;
    }

    private int total(int field) {
        return perTag.values().stream().mapToInt(c -> c[field]).sum();
    }

    double precision() {
        return ratio(total(0), total(0) + total(1));
    }

    double recall() {
        return ratio(total(0), total(0) + total(2));
    }

    String table(String title) {
        StringBuilder report = new StringBuilder(title).append(System.lineSeparator());
        report.append(String.format(Locale.ROOT, "| %-24s | %4s | %4s | %4s | %9s | %6s |%n", "tag", "tp", "fp", "fn", "precision", "recall"));
        report.append("|---|---:|---:|---:|---:|---:|").append(System.lineSeparator());
        perTag.forEach((tag, c) -> report.append(String.format(Locale.ROOT, "| %-24s | %4d | %4d | %4d | %9.2f | %6.2f |%n", tag, c[0], c[1], c[2],
                ratio(c[0], c[0] + c[1]), ratio(c[0], c[0] + c[2]))));
        report.append(String.format(Locale.ROOT, "| %-24s | %4d | %4d | %4d | %9.3f | %6.3f |%n", "**overall (micro)**", total(0), total(1), total(2),
                precision(), recall()));
        return report.toString();
    }

    List<String> misses() {
        return misses;
    }

    private static double ratio(int a, int b) {
        return b == 0 ? 1.0 : (double) a / b;
    }
}
