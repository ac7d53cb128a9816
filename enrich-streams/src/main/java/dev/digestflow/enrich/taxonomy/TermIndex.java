package dev.digestflow.enrich.taxonomy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The terms of every tag in one index keyed by their first word, so one pass over an item's words
 * finds every term occurrence of every tag with a few hash lookups per word. (One index per tag
 * meant one pass per tag: the bench's profile showed that loop as enrich's biggest cost.)
 */
final class TermIndex {

    /** An occurrence: which tag (its position in the taxonomy), which term, and its [start, end) character span. */
    record Hit(int tag, Term term, int start, int end) {
    }

    private record Entry(int tag, Term term, List<String> sequence) {
    }

    private final int tags;
    private final Map<String, List<Entry>> byFirstWord = new HashMap<>();
    private final List<Entry> regexTerms = new ArrayList<>();

    /** {@code termsByTag.get(i)}: the terms of tag i. */
    TermIndex(List<List<Term>> termsByTag) {
        this.tags = termsByTag.size();
        for (int tag = 0; tag < termsByTag.size(); tag++) {
            for (Term term : termsByTag.get(tag)) {
                for (List<String> seq : term.sequences()) {
                    byFirstWord.computeIfAbsent(seq.get(0), k -> new ArrayList<>()).add(new Entry(tag, term, seq));
                }
                if (!term.regexes().isEmpty()) {
                    regexTerms.add(new Entry(tag, term, List.of()));
                }
            }
        }
    }

    /** Every hit in the text, grouped by tag: element i holds tag i's hits, possibly none. */
    List<List<Hit>> hitsByTag(Tokens text) {
        List<List<Hit>> byTag = new ArrayList<>(tags);
        for (int i = 0; i < tags; i++) {
            byTag.add(new ArrayList<>(0));
        }
        List<String> words = text.words();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            collect(byFirstWord.get(word), text, i, byTag);
        }
        for (Entry e : regexTerms) {
            for (int[] span : e.term().regexSpans(text.text())) {
                byTag.get(e.tag()).add(new Hit(e.tag(), e.term(), span[0], span[1]));
            }
        }
        return byTag;
    }

    private static void collect(List<Entry> candidates, Tokens text, int at, List<List<Hit>> byTag) {
        if (candidates == null) {
            return;
        }
        for (Entry e : candidates) {
            if (at + e.sequence().size() <= text.size() && Term.matchesAt(e.sequence(), text, at)) {
                byTag.get(e.tag()).add(new Hit(e.tag(), e.term(), text.starts()[at], text.ends()[at + e.sequence().size() - 1]));
            }
        }
    }
}
