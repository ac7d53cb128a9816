package dev.digestflow.enrich.taxonomy;

import java.io.IOException;
import java.util.Arrays;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArrayMap;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.KeywordAttribute;

/**
 * Lucene's {@link EnglishAnalyzer} chain, link for link (standard tokenizer, possessives, lower case,
 * English stop words, Porter stemming), with the stemmer memoized: the Porter stemmer was half of the
 * analysis in the bench's profile of enrich-streams, and the words of a stream of digests repeat.
 * A word seen before gets its stem from a per-thread table and is marked as a keyword, which
 * {@link PorterStemFilter} leaves alone; a new word is stemmed and its stem remembered after the
 * stemmer. The tokens, positions and offsets are those of {@code EnglishAnalyzer} (tested on every
 * word of the tagging sets and the sample digests).
 */
final class CachedEnglishAnalyzer extends Analyzer {

    /** Words remembered per analysing thread before the table starts over: a bound, not a tuning. */
    static final int MAX_WORDS = 100_000;

    /** The memo and the word waiting for its stem, shared by the two filters around the stemmer of one chain. */
    private static final class StemMemo {
        final CharArrayMap<char[]> stems = new CharArrayMap<>(1024, false);
        char[] pending;
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new StandardTokenizer();
        TokenStream result = new EnglishPossessiveFilter(source);
        result = new LowerCaseFilter(result);
        result = new StopFilter(result, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        StemMemo memo = new StemMemo();
        result = new RememberedStem(result, memo);
        result = new PorterStemFilter(result);
        result = new RememberStem(result, memo);
        return new TokenStreamComponents(source, result);
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(in);
    }

    /** Before the stemmer: a word seen before takes its stem and becomes a keyword, so the stemmer skips it. */
    private static final class RememberedStem extends TokenFilter {
        private final StemMemo memo;
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final KeywordAttribute keyword = addAttribute(KeywordAttribute.class);

        RememberedStem(TokenStream input, StemMemo memo) {
            super(input);
            this.memo = memo;
        }

        @Override
        public boolean incrementToken() throws IOException {
            if (!input.incrementToken()) {
                return false;
            }
            memo.pending = null;
            if (keyword.isKeyword()) {
                return true; // nothing upstream marks keywords today; should something, the stemmer's rule stands
            }
            char[] stem = memo.stems.get(term.buffer(), 0, term.length());
            if (stem != null) {
                term.copyBuffer(stem, 0, stem.length);
                keyword.setKeyword(true);
            } else {
                memo.pending = Arrays.copyOf(term.buffer(), term.length());
            }
            return true;
        }
    }

    /** After the stemmer: remembers the stem of a word it had not seen. */
    private static final class RememberStem extends TokenFilter {
        private final StemMemo memo;
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

        RememberStem(TokenStream input, StemMemo memo) {
            super(input);
            this.memo = memo;
        }

        @Override
        public boolean incrementToken() throws IOException {
            if (!input.incrementToken()) {
                return false;
            }
            if (memo.pending != null) {
                if (memo.stems.size() >= MAX_WORDS) {
                    memo.stems.clear();
                }
                memo.stems.put(memo.pending, Arrays.copyOf(term.buffer(), term.length()));
                memo.pending = null;
            }
            return true;
        }
    }
}
