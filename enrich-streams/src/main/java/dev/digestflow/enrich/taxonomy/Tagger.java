package dev.digestflow.enrich.taxonomy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.digestflow.schema.TagExplanation;

/**
 * Scores an item against the taxonomy. For each tag: the sum, over its terms found in the title or
 * summary, of term weight × field weight, times the tag weight; an exclusion found anywhere vetoes
 * the tag. Within a tag, overlapping matches count once, for the longest term: "supervised
 * fine-tuning" does not also score "fine-tuning". Tags at or above the threshold apply, highest score first, each with the terms that made
 * it: the explanation that travels to Elasticsearch. Pure and thread-safe.
 */
public final class Tagger {

    private final Taxonomy taxonomy;

    public Tagger(Taxonomy taxonomy) {
        this.taxonomy = taxonomy;
    }

    /** The tag's terms that keep at least one match after overlapping matches went to the longest term. */
    private static java.util.Set<Term> countedTerms(TagDefinition tag, String text) {
        java.util.Set<Term> counted = new java.util.HashSet<>();
        if (text.isEmpty()) {
            return counted;
        }
        record Hit(Term term, int start, int end) {
        }
        List<Hit> hits = new ArrayList<>();
        for (Term term : tag.terms()) {
            for (int[] span : term.spans(text)) {
                hits.add(new Hit(term, span[0], span[1]));
            }
        }
        hits.sort(Comparator.comparingInt((Hit h) -> h.end() - h.start()).reversed());
        List<Hit> kept = new ArrayList<>();
        for (Hit h : hits) {
            if (kept.stream().noneMatch(k -> h.start() < k.end() && k.start() < h.end())) {
                kept.add(h);
                counted.add(h.term());
            }
        }
        return counted;
    }

    /** The tags with their explanations; empty when nothing reaches the threshold. */
    public List<TagExplanation> tag(String title, String summary) {
        String t = TextNormalizer.normalize(title);
        String s = TextNormalizer.normalize(summary);
        List<TagExplanation> result = new ArrayList<>();
        for (TagDefinition tag : taxonomy.tags()) {
            if (tag.exclusions().stream().anyMatch(x -> x.matches(t) || x.matches(s))) {
                continue;
            }
            double score = 0;
            List<String> matched = new ArrayList<>();
            java.util.Set<Term> inTitle = countedTerms(tag, t);
            java.util.Set<Term> inSummary = countedTerms(tag, s);
            for (Term term : tag.terms()) {
                double fields = (inTitle.contains(term) ? taxonomy.titleWeight() : 0) + (inSummary.contains(term) ? taxonomy.summaryWeight() : 0);
                if (fields > 0) {
                    score += term.weight() * fields;
                    matched.add(term.name());
                }
            }
            score *= tag.weight();
            if (score >= taxonomy.threshold()) {
                result.add(new TagExplanation(tag.name(), Math.round(score * 100) / 100.0, matched));
            }
        }
        result.sort(Comparator.comparingDouble(TagExplanation::getScore).reversed());
        return result;
    }
}
