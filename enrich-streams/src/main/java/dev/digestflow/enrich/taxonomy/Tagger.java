package dev.digestflow.enrich.taxonomy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    // Identity maps: records hash their whole term lists, which would dominate the per-item cost.
    private final Map<TagDefinition, TermIndex> terms = new IdentityHashMap<>();
    private final Map<TagDefinition, TermIndex> exclusions = new IdentityHashMap<>();

    public Tagger(Taxonomy taxonomy) {
        this.taxonomy = taxonomy;
        for (TagDefinition tag : taxonomy.tags()) {
            terms.put(tag, new TermIndex(tag.terms()));
            exclusions.put(tag, new TermIndex(tag.exclusions()));
        }
    }

    /** The terms that keep at least one occurrence after overlapping occurrences went to the longest term. */
    private static Set<Term> countedTerms(TermIndex index, Tokens text) {
        Set<Term> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        List<TermIndex.Hit> hits = index.hits(text);
        hits.sort(Comparator.comparingInt((TermIndex.Hit h) -> h.end() - h.start()).reversed());
        List<TermIndex.Hit> kept = new ArrayList<>();
        for (TermIndex.Hit h : hits) {
            if (kept.stream().noneMatch(k -> h.start() < k.end() && k.start() < h.end())) {
                kept.add(h);
                counted.add(h.term());
            }
        }
        return counted;
    }

    /** The tags with their explanations; empty when nothing reaches the threshold. */
    public List<TagExplanation> tag(String title, String summary) {
        Tokens t = Tokens.of(TextNormalizer.normalize(title));
        Tokens s = Tokens.of(TextNormalizer.normalize(summary));
        List<TagExplanation> result = new ArrayList<>();
        for (TagDefinition tag : taxonomy.tags()) {
            TermIndex vetoes = exclusions.get(tag);
            if (!vetoes.hits(t).isEmpty() || !vetoes.hits(s).isEmpty()) {
                continue;
            }
            double score = 0;
            List<String> matched = new ArrayList<>();
            Set<Term> inTitle = countedTerms(terms.get(tag), t);
            Set<Term> inSummary = countedTerms(terms.get(tag), s);
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
