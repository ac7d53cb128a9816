package dev.digestflow.enrich.taxonomy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Normalized text analysed as Elasticsearch's {@code english} analyzer does it (Lucene's
 * {@link EnglishAnalyzer} chain, its stemmer memoized by {@link CachedEnglishAnalyzer}: standard tokenizer, possessives, lower case, English stop words, Porter
 * stemming), each token with its character span. Terms and item text go through the same analysis, so
 * "distills", "distilled" and "distillation" meet, and "the dataset's" is "dataset"; matching then
 * compares token sequences (stop words dropped on both sides), with word boundaries for free.
 */
record Tokens(String text, List<String> words, int[] starts, int[] ends) {

    /** Thread-safe: Lucene reuses one token stream per thread (and so one stem memo per thread). */
    private static final Analyzer ENGLISH = new CachedEnglishAnalyzer();

    static Tokens of(String normalized) {
        List<String> words = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        try (TokenStream stream = ENGLISH.tokenStream("text", normalized)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                words.add(term.toString());
                spans.add(new int[] {offset.startOffset(), offset.endOffset()});
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing a string cannot fail", e);
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
