package dev.digestflow.enrich.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The normalizer's fast loop (a char array, an ASCII path) against the StringBuilder version it
 * replaced, kept here as the reference, on generated text mixing ASCII, every kind of whitespace and
 * dash, curly quotes, soft hyphens, compatibility characters NFKC rewrites, surrogate pairs and
 * control characters.
 */
class TextNormalizerTest {

    private static final String ALPHABET = "aZ9 -'\"\t\n\r\u000B\f\u001C\u001F\u00A0\u2007\u202F\u3000\u2028\u2029\u00AD\u2010\u2011\u2013\u2014"
            + "\u2212\u2018\u2019\u201A\u201B\u2032\u201C\u201D\u201E\u201F\u2033\uFB01\uFF21\u2460\u00C9e\u0301\u0000\u007F\u0085\u200B\uD83D\uDE00\u0130\u03A3";

    @Test
    void theFastLoopNormalizesExactlyAsThePreviousOne() {
        Random random = new Random(20261206L);
        for (int n = 0; n < 50_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String s = text.toString();
            assertThat(TextNormalizer.normalize(s)).as("normalize(%s)", s.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList())
                    .isEqualTo(previous(s));
        }
    }

    @Test
    void examples() {
        assertThat(TextNormalizer.normalize("  RL\u00A0Fine\u2011Tuning\u00AD \u201Cworks\u201D\t\n")).isEqualTo("rl fine-tuning \"works\"");
        assertThat(TextNormalizer.normalize("\uFB01ne")).isEqualTo("fine");
        assertThat(TextNormalizer.normalize(null)).isEmpty();
        assertThat(TextNormalizer.normalize(" \t ")).isEmpty();
    }

    /** The implementation before the fast loop, verbatim. */
        static String previous(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String s = Normalizer.isNormalized(text, Normalizer.Form.NFKC) ? text : Normalizer.normalize(text, Normalizer.Form.NFKC);
        s = s.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            if (c == '\u00AD') {
                continue; // soft hyphen: invisible, not a separator
            }
            if (c == '\u2212' || Character.getType(c) == Character.DASH_PUNCTUATION) {
                out.append('-');
            } else if (c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B' || c == '\u2032') {
                out.append('\'');
            } else if (c == '\u201C' || c == '\u201D' || c == '\u201E' || c == '\u201F' || c == '\u2033') {
                out.append('"');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
