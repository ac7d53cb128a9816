package dev.digestflow.enrich.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.junit.jupiter.api.Test;

/** The memoized chain gives exactly EnglishAnalyzer's tokens, positions and offsets, on a first and on a repeated reading. */
class CachedEnglishAnalyzerTest {

    private static List<String> analyse(Analyzer analyzer, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream s = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = s.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = s.addAttribute(OffsetAttribute.class);
            PositionIncrementAttribute position = s.addAttribute(PositionIncrementAttribute.class);
            s.reset();
            while (s.incrementToken()) {
                out.add(term + "@" + offset.startOffset() + "-" + offset.endOffset() + "+" + position.getPositionIncrement());
            }
            s.end();
        }
        return out;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CachedEnglishAnalyzerTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyLineOfTheTaggingSetsAndTheTaxonomyAnalysesAsEnglishAnalyzerDoes() throws IOException {
        List<String> texts = new ArrayList<>();
        for (String name : List.of("/taxonomy/default-examples.jsonl", "/tagging/test-set.jsonl", "/taxonomy/default-taxonomy.yaml")) {
            texts.addAll(resource(name).lines().toList());
        }
        try (Analyzer reference = new EnglishAnalyzer(); Analyzer cached = new CachedEnglishAnalyzer()) {
            for (int pass = 1; pass <= 2; pass++) { // the second pass reads every word from the memo
                for (String text : texts) {
                    assertThat(analyse(cached, text)).as("pass %d: %s", pass, text).isEqualTo(analyse(reference, text));
                }
            }
        }
    }

    @Test
    void generatedWordsAnalyseAsEnglishAnalyzerDoesAlsoPastTheMemosBound() throws IOException {
        String[] parts = {"distill", "ing", "ed", "ation", "s", "'s", "ness", "ly", "-", "model", "agent", "RL", "fine", "tun", "e", "y", "ies",
            "é", "ß", "İ", "2", "x", "the", "and", "of", "caf\u00e9", "\u00a0", " ", ".", "'"};
        Random random = new Random(7);
        try (Analyzer reference = new EnglishAnalyzer(); Analyzer cached = new CachedEnglishAnalyzer()) {
            int words = 0;
            while (words < CachedEnglishAnalyzer.MAX_WORDS + 20_000) {
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < 40; w++, words++) {
                    int n = 1 + random.nextInt(4);
                    for (int k = 0; k < n; k++) {
                        text.append(parts[random.nextInt(parts.length)]);
                    }
                    text.append(random.nextInt(5) == 0 ? Integer.toString(words) : "").append(' ');
                }
                String t = text.toString();
                assertThat(analyse(cached, t)).as(t).isEqualTo(analyse(reference, t));
            }
        }
    }
}
