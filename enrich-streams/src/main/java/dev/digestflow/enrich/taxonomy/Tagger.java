package dev.digestflow.enrich.taxonomy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import dev.digestflow.schema.TagExplanation;

/**
 * Scores an item against the taxonomy. For each tag: the sum, over its terms found in the title, the
 * summary's lead (first sentence or TL;DR) or the rest of the summary, of term weight × field weight,
 * times the tag weight; an exclusion found anywhere vetoes the tag. Text and terms are analysed alike
 * ({@link Tokens}: Lucene's English analysis). Within a tag, overlapping matches count once, for the longest term: "supervised
 * fine-tuning" does not also score "fine-tuning". Tags at or above the threshold apply, highest score first, each with the terms that made
 * it: the explanation that travels to Elasticsearch. Pure and thread-safe.
 */
public final class Tagger {

    private final Taxonomy taxonomy;
    private final List<TagDefinition> tags;
    private final TermIndex terms;
    private final TermIndex exclusions;

    public Taxonomy taxonomy() {
        return taxonomy;
    }

    public Tagger(Taxonomy taxonomy) {
        this.taxonomy = taxonomy;
        this.tags = List.copyOf(taxonomy.tags());
        this.terms = new TermIndex(tags.stream().map(TagDefinition::terms).toList());
        this.exclusions = new TermIndex(tags.stream().map(TagDefinition::exclusions).toList());
    }

    /**
     * The terms that keep at least one occurrence after overlapping occurrences went to the longest term.
     * Longest first, each hit kept when none of its positions is taken yet: a bit set of taken positions
     * makes that check as long as the hit, where comparing with every kept hit made a summary of one
     * repeated term quadratic (tens of seconds for 300 KB of "RL RL ...", longer than a transaction).
     */
    private static Set<Term> countedTerms(List<TermIndex.Hit> hits) {
        if (hits.isEmpty()) {
            return Set.of(); // most tags match nothing in a given item
        }
        Set<Term> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        hits.sort(Comparator.comparingInt((TermIndex.Hit h) -> h.end() - h.start()).reversed());
        BitSet taken = new BitSet();
        for (TermIndex.Hit h : hits) {
            int firstTaken = taken.nextSetBit(h.start());
            if (firstTaken < 0 || firstTaken >= h.end()) {
                taken.set(h.start(), h.end());
                counted.add(h.term());
            }
        }
        return counted;
    }

    /**
     * Where a summary's lead ends: after its first sentence (a '.', '!' or '?' followed by a space or
     * the end, past a few words so that "e.g." or "v2." does not cut it), or at a line break; a
     * summary that begins with "TL;DR" leads with that sentence.
     */
    static int leadEnd(String summary) {
        int from = 0;
        String lower = summary.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("tl;dr") || lower.startsWith("tldr")) {
            from = lower.indexOf(' ') + 1;
        }
        for (int i = Math.max(from, 20); i < summary.length(); i++) {
            char c = summary.charAt(i);
            if (c == '\n') {
                return i;
            }
            if ((c == '.' || c == '!' || c == '?') && (i + 1 == summary.length() || Character.isWhitespace(summary.charAt(i + 1)))) {
                return i + 1;
            }
        }
        return summary.length();
    }

    /**
     * Words of summary text (after the lead) up to which a match there counts in full. Past it, the
     * rest's weight shrinks with the square root of its length, as BM25 normalizes term frequency by
     * document length: a 300-word abstract mentions many topics in passing, and a term among 300
     * words says less about the item than the same term among 30.
     */
    static final int REST_REFERENCE_WORDS = 40;

    /** An item's three fields, analysed. */
    record Fields(Tokens title, Tokens lead, Tokens rest) {
    }

    static Fields analyse(String title, String summary) {
        String text = summary == null ? "" : summary;
        int cut = leadEnd(text);
        return new Fields(Tokens.of(TextNormalizer.normalize(title)), Tokens.of(TextNormalizer.normalize(text.substring(0, cut))),
                Tokens.of(TextNormalizer.normalize(text.substring(cut))));
    }

    /** Per tag, the lexicon's score and the terms that made it; a vetoed tag has none. */
    private record LexiconScores(boolean[] vetoed, double[] scores, List<List<String>> matched) {
    }

    private LexiconScores lexicon(Fields f) {
        // One pass per field over all tags' terms and exclusions, then the per-tag scoring.
        List<List<TermIndex.Hit>> vetoesInTitle = exclusions.hitsByTag(f.title());
        List<List<TermIndex.Hit>> vetoesInLead = exclusions.hitsByTag(f.lead());
        List<List<TermIndex.Hit>> vetoesInSummary = exclusions.hitsByTag(f.rest());
        List<List<TermIndex.Hit>> hitsInTitle = terms.hitsByTag(f.title());
        List<List<TermIndex.Hit>> hitsInLead = terms.hitsByTag(f.lead());
        List<List<TermIndex.Hit>> hitsInSummary = terms.hitsByTag(f.rest());
        double restWeight = taxonomy.summaryWeight() * Math.min(1.0, Math.sqrt((double) REST_REFERENCE_WORDS / Math.max(1, f.rest().size())));
        boolean[] vetoed = new boolean[tags.size()];
        double[] scores = new double[tags.size()];
        List<List<String>> matched = new ArrayList<>(tags.size());
        for (int i = 0; i < tags.size(); i++) {
            TagDefinition tag = tags.get(i);
            List<String> names = new ArrayList<>();
            matched.add(names);
            if (!vetoesInTitle.get(i).isEmpty() || !vetoesInLead.get(i).isEmpty() || !vetoesInSummary.get(i).isEmpty()) {
                vetoed[i] = true;
                continue;
            }
            Set<Term> inTitle = countedTerms(hitsInTitle.get(i));
            Set<Term> inLead = countedTerms(hitsInLead.get(i));
            Set<Term> inSummary = countedTerms(hitsInSummary.get(i));
            if (inTitle.isEmpty() && inLead.isEmpty() && inSummary.isEmpty()) {
                continue; // no need to walk the tag's terms (the profile's top frame when it did)
            }
            double score = 0;
            for (Term term : tag.terms()) {
                // The title counts on top of the summary; within the summary, the lead's weight wins over the rest's.
                double fields = (inTitle.contains(term) ? taxonomy.titleWeight() : 0)
                        + (inLead.contains(term) ? taxonomy.leadWeight() : inSummary.contains(term) ? restWeight : 0);
                if (fields > 0) {
                    score += term.weight() * fields;
                    names.add(term.name());
                }
            }
            scores[i] = score * tag.weight();
        }
        return new LexiconScores(vetoed, scores, matched);
    }

    /** The lexicon's score per tag, in the taxonomy's order (0 for a vetoed tag): what the learned part trains on beside the words. */
    double[] lexiconScores(Fields f) {
        return lexicon(f).scores();
    }

    /**
     * The tags with their explanations, highest score first; empty when nothing reaches the threshold. A
     * tag's score is the lexicon's plus, where the taxonomy has labelled examples for it, the learned
     * part's ({@link LearnedTagModel}); its matched terms are the lexicon's terms followed by the words that
     * weighed most in the learned part. An exclusion vetoes the tag whatever the scores.
     */
    public List<TagExplanation> tag(String title, String summary) {
        Fields f = analyse(title, summary);
        LexiconScores lexicon = lexicon(f);
        LearnedTagModel learned = taxonomy.learned();
        LearnedTagModel.Vector vector = learned.isEmpty() ? null : learned.vector(f.title(), f.lead(), f.rest());
        List<TagExplanation> result = new ArrayList<>();
        for (int i = 0; i < tags.size(); i++) {
            if (lexicon.vetoed()[i]) {
                continue;
            }
            double score = lexicon.scores()[i];
            boolean learnedPart = vector != null && learned.covers(i);
            if (learnedPart) {
                score += learned.score(i, vector);
            }
            if (score >= taxonomy.threshold()) {
                List<String> why = lexicon.matched().get(i);
                if (learnedPart) {
                    why = new ArrayList<>(why);
                    why.addAll(learned.explain(i, vector));
                }
                result.add(new TagExplanation(tags.get(i).name(), Math.round(score * 100) / 100.0, why));
            }
        }
        result.sort(Comparator.comparingDouble(TagExplanation::getScore).reversed());
        return result;
    }
}
