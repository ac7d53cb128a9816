package dev.digestflow.enrich.taxonomy;

import java.util.ArrayList;
import java.util.List;

/**
 * Normalized text cut into words (runs of letters and digits), each with its character span. Terms
 * and item text are cut the same way, so matching compares words, not regexes: word boundaries come
 * for free and one pass over the words serves every term.
 */
record Tokens(String text, List<String> words, int[] starts, int[] ends) {

    static Tokens of(String normalized) {
        List<String> words = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        int i = 0;
        int n = normalized.length();
        while (i < n) {
            int cp = normalized.codePointAt(i);
            if (Character.isLetterOrDigit(cp)) {
                int start = i;
                while (i < n && Character.isLetterOrDigit(normalized.codePointAt(i))) {
                    i += Character.charCount(normalized.codePointAt(i));
                }
                words.add(normalized.substring(start, i));
                spans.add(new int[] {start, i});
            } else {
                i += Character.charCount(cp);
            }
        }
        int[] starts = new int[spans.size()];
        int[] ends = new int[spans.size()];
        for (int k = 0; k < spans.size(); k++) {
            starts[k] = spans.get(k)[0];
            ends[k] = spans.get(k)[1];
        }
        return new Tokens(normalized, List.copyOf(words), starts, ends);
    }

    int size() {
        return words.size();
    }
}
