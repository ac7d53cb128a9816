package dev.digestflow.enrich.taxonomy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One taxonomy term (a phrase or keyword, with its synonyms) prepared for matching on normalized text.
 * A term is matched as a sequence of words, so word boundaries hold; a hyphen or a space between its
 * words matches either or none ("fine-tuning" = "fine tuning" = "finetuning"); a plural "s"/"es" on
 * its last word is tolerated. A term written {@code re:<regex>} is a regular expression on the
 * normalized text instead, for the rare case words cannot express.
 *
 * @param name the term as written in the taxonomy; this is what explanations show
 * @param sequences the word sequences that count as this term (term and synonyms, split and joined)
 */
public record Term(String name, double weight, List<List<String>> sequences, List<Pattern> regexes) {

    private static final String LEFT = "(?<![\\p{L}\\p{N}])";
    private static final String RIGHT = "(?![\\p{L}\\p{N}])";

    /** Compiles the term and its synonyms; a bad one throws with the offending pattern in the message. */
    static Term compile(String name, double weight, List<String> synonyms) {
        List<List<String>> sequences = new ArrayList<>();
        List<Pattern> regexes = new ArrayList<>();
        add(name, sequences, regexes);
        for (String s : synonyms) {
            add(s, sequences, regexes);
        }
        return new Term(name, weight, List.copyOf(sequences), List.copyOf(regexes));
    }

    private static void add(String written, List<List<String>> sequences, List<Pattern> regexes) {
        if (written == null || written.isBlank()) {
            throw new IllegalArgumentException("empty term");
        }
        if (written.startsWith("re:")) {
            String regex = written.substring(3);
            try {
                regexes.add(Pattern.compile(LEFT + "(?:" + regex + ")" + RIGHT, Pattern.UNICODE_CHARACTER_CLASS));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regular expression '" + regex + "': " + e.getDescription());
            }
            return;
        }
        List<String> words = Tokens.of(TextNormalizer.normalize(written)).words();
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no letters or digits in the term");
        }
        sequences.add(words);
        if (words.size() > 1) {
            sequences.add(List.of(String.join("", words)));
        }
    }

    /** Occurrences of the term's regular expressions, as [start, end) character spans. */
    List<int[]> regexSpans(String normalizedText) {
        List<int[]> spans = new ArrayList<>();
        for (Pattern p : regexes) {
            Matcher m = p.matcher(normalizedText);
            while (m.find()) {
                spans.add(new int[] {m.start(), m.end()});
            }
        }
        return spans;
    }

    /** Whether the word sequence starts at a position; the last word may carry a plural "s"/"es". */
    static boolean matchesAt(List<String> seq, Tokens text, int at) {
        int last = seq.size() - 1;
        for (int j = 0; j < last; j++) {
            if (!seq.get(j).equals(text.words().get(at + j))) {
                return false;
            }
        }
        String word = seq.get(last);
        String token = text.words().get(at + last);
        return token.equals(word) || (token.length() == word.length() + 1 && token.endsWith("s") && token.startsWith(word))
                || (token.length() == word.length() + 2 && token.endsWith("es") && token.startsWith(word));
    }
}
