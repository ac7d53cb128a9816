package dev.digestflow.enrich.taxonomy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The terms of one tag, indexed by their first word, so one pass over an item's words finds every
 * term occurrence with a few hash lookups per word instead of a scan per term.
 */
final class TermIndex {

    /** An occurrence: which term, and its [start, end) character span. */
    record Hit(Term term, int start, int end) {
    }

    private record Entry(Term term, List<String> sequence) {
    }

    private final Map<String, List<Entry>> byFirstWord = new HashMap<>();
    private final List<Term> regexTerms = new ArrayList<>();

    TermIndex(List<Term> terms) {
        for (Term term : terms) {
            for (List<String> seq : term.sequences()) {
                byFirstWord.computeIfAbsent(seq.get(0), k -> new ArrayList<>()).add(new Entry(term, seq));
            }
            if (!term.regexes().isEmpty()) {
                regexTerms.add(term);
            }
        }
    }

    List<Hit> hits(Tokens text) {
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String word = text.words().get(i);
            collect(byFirstWord.get(word), text, i, hits);
            // A one-word term's only word is also its last, where a plural "s"/"es" is tolerated.
            if (word.endsWith("s")) {
                collect(byFirstWord.get(word.substring(0, word.length() - 1)), text, i, hits);
                if (word.endsWith("es")) {
                    collect(byFirstWord.get(word.substring(0, word.length() - 2)), text, i, hits);
                }
            }
        }
        for (Term t : regexTerms) {
            for (int[] span : t.regexSpans(text.text())) {
                hits.add(new Hit(t, span[0], span[1]));
            }
        }
        return hits;
    }

    private static void collect(List<Entry> candidates, Tokens text, int at, List<Hit> hits) {
        if (candidates == null) {
            return;
        }
        for (Entry e : candidates) {
            if (at + e.sequence().size() <= text.size() && Term.matchesAt(e.sequence(), text, at)) {
                hits.add(new Hit(e.term(), text.starts()[at], text.ends()[at + e.sequence().size() - 1]));
            }
        }
    }
}
