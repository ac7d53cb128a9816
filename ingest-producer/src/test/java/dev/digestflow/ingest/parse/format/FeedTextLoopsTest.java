package dev.digestflow.ingest.parse.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * FeedXmlParser's and PlainText's hand-written loops against the regexes they replaced (kept here as the reference),
 * on generated text full of tags, unclosed and nested angle brackets, entities, every ASCII and some
 * Unicode whitespace, and item/entry start tags with and without what may follow the name.
 */
class FeedTextLoopsTest {

    private static final String[] PIECES = {"<", ">", "<b>", "</p>", "<a href=\"x\">", "<<", "<item>", "<item ", "<items>", "<entry>", "<entry\t",
        "<entryx", "<item", "&lt;", "&gt;", "&amp;", "&amp;lt;", "&quot;", "&#39;", "&nbsp;", "&", " ", "\t", "\n", "\r\n", "\u000B", "\f", "\u00a0",
        "\u2003", "word", "é", "\uD83D\uDE00", "x", "'"};

    /** Mostly text that is already plain, or nearly: what plain() returns unchanged after one scan. */
    private static final String[] TEXT_PIECES = {"word", "word", "word", " ", " ", " ", "  ", "é", "x", "'", "\u00a0", "\u2003", "\uD83D\uDE00", "\t",
        "\n", "-", ">", ";"};

    private static String generated(Random random) {
        return generated(random, PIECES);
    }

    private static String generated(Random random, String[] pieces) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(25);
        for (int i = 0; i < n; i++) {
            s.append(pieces[random.nextInt(pieces.length)]);
        }
        return s.toString();
    }

    @Test
    void plainTextAsTheRegexesMadeIt() {
        Random random = new Random(11);
        for (int n = 0; n < 100_000; n++) {
            String s = generated(random);
            assertThat(FeedXmlParser.plain(s)).as(s).isEqualTo(previousPlain(s));
        }
        assertThat(FeedXmlParser.plain(null)).isEmpty();
    }

    @Test
    void foldedWhitespaceAsTheRegexMadeIt() {
        Random random = new Random(14);
        int unchanged = 0;
        for (int n = 0; n < 100_000; n++) {
            String s = generated(random, n % 2 == 0 ? PIECES : TEXT_PIECES);
            String folded = PlainText.foldWhitespace(s);
            assertThat(folded).as(s).isEqualTo(s.replaceAll("\\s+", " ").strip());
            unchanged += folded.equals(s) ? 1 : 0;
        }
        assertThat(unchanged).as("texts with nothing to fold").isGreaterThan(5_000);
    }

    @Test
    void textThatIsAlreadyPlainOrNearlySoAsTheRegexesMadeIt() {
        Random random = new Random(13);
        int unchanged = 0;
        for (int n = 0; n < 100_000; n++) {
            String s = generated(random, TEXT_PIECES);
            String plain = FeedXmlParser.plain(s);
            assertThat(plain).as(s).isEqualTo(previousPlain(s));
            unchanged += plain.equals(s) ? 1 : 0;
        }
        assertThat(unchanged).as("texts returned as they were").isGreaterThan(5_000);
    }

    @Test
    void entryLinesAsTheRegexFoundThem() {
        Random random = new Random(12);
        for (int n = 0; n < 100_000; n++) {
            String s = generated(random);
            assertThat(FeedXmlParser.entryLines(s)).as(s).isEqualTo(previousEntryLines(s));
        }
    }

    // The previous code, verbatim.
    private static final Pattern ENTRY_START = Pattern.compile("<(item|entry)[\\s>]");
    private static final Pattern TAG = Pattern.compile("<[^<>]*>");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private static String previousPlain(String s) {
        String noTags = TAG.matcher(s).replaceAll(" ");
        String unescaped = noTags.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&");
        return SPACES.matcher(unescaped).replaceAll(" ").strip();
    }

    private static List<Integer> previousEntryLines(String text) {
        List<Integer> lines = new ArrayList<>();
        Matcher m = ENTRY_START.matcher(text);
        int line = 1;
        int pos = 0;
        while (m.find()) {
            for (; pos < m.start(); pos++) {
                if (text.charAt(pos) == '\n') {
                    line++;
                }
            }
            lines.add(line);
        }
        return lines;
    }
}
